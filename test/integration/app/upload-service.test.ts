import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { ROOT_DESTINATION } from '../../../shared/folder-model.ts';
import type { JobsUpdate, JobView } from '../../../shared/job-model.ts';
import { JobProgress } from '../../../electron/engine/job-progress.ts';
import { RotatingLog } from '../../../electron/service/rotating-log.ts';
import { memoryStoresFor } from '../../../electron/service/settings-store.ts';
import { STATE_CHANGE_GAP_MS, UpdateBatcher } from '../../../electron/service/update-batcher.ts';
import { UploadService, type UploadServiceOptions } from '../../../electron/service/upload-service.ts';
import { clientFor } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

const PART_BYTES = 2 * 1024 * 1024 + 1;

async function serviceOptions(t: TestContext, localbox: { url: string; token: string }): Promise<UploadServiceOptions> {
  const { settings, secrets } = memoryStoresFor(localbox);
  return { stateDir: await tempDir(t), settings, secrets, logger: new RotatingLog(join(await tempDir(t), 'logs')) };
}

describe('UploadService', () => {
  it('quit during an upload, start again: the job resumes by itself and completes', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 8_000_000 });
    const options = await serviceOptions(t, localbox);
    const file = await writePatternFile(await tempDir(t), 'across-restart.bin', 40_000_000, 701);
    const first = await UploadService.start(options);
    await first.addFiles([file.path]);
    await until(() => (first.listJobs().jobs[0]?.totals.partsDone ?? 0) >= 4, 'some parts uploaded');
    await first.shutdown();

    const second = await UploadService.start(options);
    t.after(() => second.shutdown());
    const restored = second.listJobs().jobs[0]!;
    assert.equal(restored.path, file.path);
    await until(() => second.listJobs().jobs[0]?.state === 'done', 'done after the restart');
    const done = second.listJobs().jobs[0]!;
    assert.ok((done.resumed?.partsAlreadyUploaded ?? 0) >= 4, JSON.stringify(done.resumed));
    assert.equal((await clientFor(localbox).getFile(done.fileId!)).sha1, file.sha1);
    assert.ok(localbox.stats().partBodyBytesReceived <= 40_000_000 + 5 * PART_BYTES);
  });

  it('with "resume automatically" off, restored jobs wait paused', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 8_000_000 });
    const options = await serviceOptions(t, localbox);
    const file = await writePatternFile(await tempDir(t), 'later.bin', 40_000_000, 702);
    const first = await UploadService.start(options);
    await first.addFiles([file.path]);
    await until(() => (first.listJobs().jobs[0]?.totals.partsDone ?? 0) >= 2, 'started');
    await first.updateSettings({ resumeAutomatically: false });
    await first.shutdown();
    const second = await UploadService.start(options);
    t.after(() => second.shutdown());
    assert.equal(second.listJobs().jobs[0]!.state, 'paused');
    second.resumeAll();
    await until(() => second.listJobs().jobs[0]?.state === 'done', 'done once resumed');
  });

  it('reports activity for the dock and a summary when a batch finishes', async (t) => {
    const localbox = await localboxFor(t);
    const service = await UploadService.start(await serviceOptions(t, localbox));
    t.after(() => service.shutdown());
    const dir = await tempDir(t);
    const fractions: Array<number | null> = [];
    const summaries: unknown[] = [];
    service.on('activity', (activity) => fractions.push(activity.fraction));
    service.on('batch-finished', (summary) => summaries.push(summary));
    const result = await service.addFiles([
      (await writePatternFile(dir, 'a.txt', 1000, 1)).path,
      (await writePatternFile(dir, 'b.txt', 1000, 2)).path,
      '/no/such',
    ]);
    assert.equal(result.rejected.length, 1);
    await until(() => summaries.length === 1, 'the batch finished');
    assert.deepEqual(summaries, [{ done: 2, failed: 0, canceled: 0 }]);
    assert.equal(fractions.at(-1), null, 'idle again: no progress bar');
    assert.ok(fractions.some((fraction) => fraction !== null && fraction >= 0 && fraction <= 1));
  });

  it('refuses to change where files go while uploads are unfinished; a new token wakes waiting jobs', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 4_000_000 });
    const options = await serviceOptions(t, localbox);
    const service = await UploadService.start(options);
    t.after(() => service.shutdown());
    await service.addFiles([(await writePatternFile(await tempDir(t), 'pending.bin', 30_000_000, 703)).path]);
    await until(() => (service.listJobs().jobs[0]?.totals.partsDone ?? 0) >= 1, 'started');
    await assert.rejects(
      service.updateSettings({ target: { kind: 'embedded' } }),
      /Finish, cancel or remove the 1 upload\(s\)/,
    );
    localbox.setToken('rotated');
    await until(() => service.listJobs().jobs[0]?.state === 'waiting-token', 'waiting for a token');
    const settings = await service.updateSettings({
      target: { kind: 'custom', apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api`, token: 'rotated' },
    });
    assert.equal(settings.tokenSet, true);
    assert.ok(!JSON.stringify(settings).includes('rotated'), 'the token is never in the settings view');
    await until(() => service.listJobs().jobs[0]?.state === 'done', 'done with the new token');
    const log = readFileSync(join((options.logger as RotatingLog).dir, 'hoist.log'), 'utf8');
    assert.ok(!log.includes('rotated') && !log.includes(localbox.token), 'no token in the log');
    assert.match(log, /job done .*pending\.bin/);
  });

  it('holds uploads to the speed limit in the settings, keeps it across a restart, and lifts it', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    // The limit's clock stands still, so only the first slice (1/16 s of the limit) can go out.
    const options = { ...(await serviceOptions(t, localbox)), rateClock: new ManualClock() };
    const first = await UploadService.start(options);
    assert.equal(first.getSettings().uploadLimitBytesPerSec, null, 'no limit unless one is set');
    assert.equal((await first.updateSettings({ uploadLimitBytesPerSec: 1_000_000 })).uploadLimitBytesPerSec, 1_000_000);
    await first.shutdown();
    const service = await UploadService.start(options);
    t.after(() => service.shutdown());
    assert.equal(service.getSettings().uploadLimitBytesPerSec, 1_000_000, 'the limit outlives a restart');
    const file = await writePatternFile(await tempDir(t), 'limited.bin', 21_000_000, 705);
    await service.addFiles([file.path]);
    const received = () => localbox.stats().partBodyBytesReceived;
    await until(() => received() === 62_500, 'the first slice arrived');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(received(), 62_500, 'the rest waits for the limit');
    await service.updateSettings({ uploadLimitBytesPerSec: null });
    await until(() => service.listJobs().jobs[0]?.state === 'done', 'done once the limit is lifted');
    assert.equal(service.listJobs().jobs[0]?.sha1, file.sha1);
  });

  it('lists every subfolder of a folder that Box answers in many pages', async (t) => {
    const localbox = await localboxFor(t, { answers: { folderItemsPageMax: 2, lastNextMarker: 'empty' } });
    const client = clientFor(localbox);
    for (const name of ['e', 'c', 'a', 'd', 'b']) await client.createFolder(name, '0');
    await client.uploadFile({
      folderId: '0',
      fileName: 'z.txt',
      content: Buffer.from('z'),
      sha1Hex: '395df8f7c51f007019cb30201c49e884b46b92fa',
    });
    const service = await UploadService.start(await serviceOptions(t, localbox));
    t.after(() => service.shutdown());
    const root = await service.listFolder('0');
    assert.deepEqual(
      [root.subfolders.map((folder) => folder.name), root.truncated],
      [['a', 'b', 'c', 'd', 'e'], false],
    );
  });

  it('lists folders to choose from, uploads into the chosen one, and starts at All Files on another server', async (t) => {
    const localbox = await localboxFor(t);
    const client = clientFor(localbox);
    const projects = await client.createFolder('Projects', '0');
    const year = await client.createFolder('2026', projects.id);
    await client.createFolder('archive', '0');
    const service = await UploadService.start(await serviceOptions(t, localbox));
    t.after(() => service.shutdown());
    assert.deepEqual(service.getSettings().destination, ROOT_DESTINATION);
    const root = await service.listFolder('0');
    assert.deepEqual(
      [root.folder, root.path, root.subfolders.map((folder) => folder.name), root.truncated],
      [{ id: '0', name: 'All Files' }, [], ['archive', 'Projects'], false],
    );
    const inside = await service.listFolder(projects.id);
    assert.deepEqual(
      [inside.path, inside.subfolders],
      [[{ id: '0', name: 'All Files' }], [{ id: year.id, name: '2026' }]],
    );

    const chosen = await service.updateSettings({ destinationFolderId: year.id });
    assert.deepEqual(chosen.destination, { folderId: year.id, names: ['All Files', 'Projects', '2026'] });
    const file = await writePatternFile(await tempDir(t), 'report.pdf', 5000, 706);
    await service.addFiles([file.path]);
    await until(() => service.listJobs().jobs[0]?.state === 'done', 'uploaded');
    const items = await client.listFolderItems(year.id, { limit: 10 });
    assert.deepEqual(
      items.entries.map((item) => [item.name, item.sha1]),
      [['report.pdf', file.sha1]],
    );

    await assert.rejects(
      service.updateSettings({ destinationFolderId: '987654' }),
      /^Error: That folder no longer exists on 127\.0\.0\.1:\d+\.$/,
    );
    await assert.rejects(service.listFolder('987654'), /That folder no longer exists/);
    assert.equal(service.getSettings().destination.folderId, year.id, 'a refused folder changes nothing');
    const elsewhere = await service.updateSettings({ target: { kind: 'embedded' } });
    assert.deepEqual(elsewhere.destination, ROOT_DESTINATION, 'folder ids belong to their server');
  });

  it('switches to the embedded localbox when nothing is unfinished', async (t) => {
    const localbox = await localboxFor(t);
    const service = await UploadService.start(await serviceOptions(t, localbox));
    t.after(() => service.shutdown());
    const settings = await service.updateSettings({ target: { kind: 'embedded' } });
    assert.deepEqual(
      [settings.target.kind, settings.targetLabel, settings.tokenSet],
      ['embedded', 'Embedded local Box', false],
    );
    await service.addFiles([(await writePatternFile(await tempDir(t), 'local.txt', 10, 704)).path]);
    await until(() => service.listJobs().jobs[0]?.state === 'done', 'uploaded to the embedded localbox');
  });

  it('starts on the embedded localbox, with a notice, when the saved server cannot be used', async (t) => {
    for (const [apiBaseUrl, reason] of [
      ['http://a:99999', /the URL "http:\/\/a:99999" must be a full URL/],
      ['http://box.example', /the URL "http:\/\/box\.example" must use https/],
    ] as const) {
      const options = await serviceOptions(t, { url: 'http://127.0.0.1:9', token: 't' });
      options.settings.write({ target: { kind: 'custom', apiBaseUrl, uploadBaseUrl: `${apiBaseUrl}/api` } });
      const service = await UploadService.start(options);
      t.after(() => service.shutdown());
      assert.equal(service.getSettings().target.kind, 'embedded');
      assert.equal(options.settings.read().target.kind, 'embedded', 'the unusable setting is not tried again');
      const notices = service.takeStartupNotices();
      assert.equal(notices.length, 1);
      assert.match(notices[0]!.message, /^Hoist cannot upload to the saved server \(/);
      assert.match(notices[0]!.message, reason);
      assert.match(
        notices[0]!.message,
        /it uploads to the embedded local Box until you choose a server in Settings\.$/,
      );
      assert.deepEqual(service.takeStartupNotices(), [], 'handed out once');
      await service.addFiles([(await writePatternFile(await tempDir(t), 'works.txt', 10, 705)).path]);
      await until(() => service.listJobs().jobs[0]?.state === 'done', 'the app works');
    }
  });
});

describe('update batching', () => {
  const view = (id: string): JobView => ({
    id,
    path: id,
    fileName: id,
    state: 'uploading',
    method: 'session',
    createdAtMs: 0,
    totals: {
      sizeBytes: 1,
      bytesConfirmed: 0,
      bytesSent: 0,
      partsDone: 0,
      totalParts: 1000,
      speedBytesPerSec: 0,
      etaSeconds: null,
    },
  });

  /** A batcher reading one job's JobProgress, as the app's batcher reads the queue. */
  function batcherOn(progress: (onDirty: () => void) => JobProgress, updates: JobsUpdate[]) {
    let reads = 0;
    const source = {
      takeProgress: () => {
        reads += 1;
        const batch = model.takeChanges();
        return batch ? [batch] : [];
      },
      takeJobProgress: (jobId: string) => (jobId === model.jobId ? model.takeChanges() : undefined),
    };
    const batcher = new UpdateBatcher((update) => updates.push(update), source, 100);
    const model = progress(() => batcher.progressPending());
    return { batcher, model, reads: () => reads };
  }

  it('sends progress at most once per interval, merged, and state changes on the next tick', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setImmediate', 'Date'] });
    const updates: JobsUpdate[] = [];
    const { batcher, model } = batcherOn((onDirty) => new JobProgress('a', 1_000_000, 10, onDirty), updates);
    for (let index = 0; index < 1000; index++) model.sent(index % 10, index);
    assert.equal(updates.length, 0, 'nothing before the interval');
    t.mock.timers.tick(100);
    assert.equal(updates.length, 1);
    assert.equal(updates[0]!.progress[0]!.parts.length, 10, 'each part once, with its latest numbers');
    assert.equal(updates[0]!.progress[0]!.parts.at(-1)![1].bytesSent, 999);
    model.sent(0, 1000);
    t.mock.timers.tick(99);
    assert.equal(updates.length, 1, 'the next progress waits for the next interval');
    t.mock.timers.tick(1);
    assert.equal(updates.length, 2);
    assert.deepEqual(
      updates[1]!.progress[0]!.parts.map(([index, part]) => [index, part.bytesSent]),
      [[0, 1000]],
    );
    t.mock.timers.tick(STATE_CHANGE_GAP_MS);
    for (let index = 0; index < 500; index++) batcher.jobChanged(view(`job-${index}`));
    t.mock.timers.tick(0);
    assert.equal(updates.length, 3, 'a burst of state changes leaves as one update');
    assert.equal(updates[2]!.changed.length, 500);
    batcher.jobChanged(view('right-after'));
    t.mock.timers.tick(0);
    assert.equal(updates.length, 3, 'the next state change waits for the gap');
    t.mock.timers.tick(STATE_CHANGE_GAP_MS);
    assert.equal(updates.length, 4);
    assert.deepEqual(
      updates[3]!.changed.map((job) => job.id),
      ['right-after'],
    );
  });

  it('reads no progress while none is pending: an idle queue keeps no timer running', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setImmediate', 'Date'] });
    const updates: JobsUpdate[] = [];
    const { model, reads } = batcherOn((onDirty) => new JobProgress('a', 1_000_000, 10, onDirty), updates);
    t.mock.timers.tick(60_000);
    assert.deepEqual([reads(), updates.length], [0, 0], 'a minute idle: not one read');
    model.sent(1, 5);
    model.sent(2, 5);
    t.mock.timers.tick(100);
    assert.deepEqual([reads(), updates.length], [1, 1], 'one read for what moved');
    t.mock.timers.tick(60_000);
    assert.equal(reads(), 1, 'and none after it, while nothing moves');
  });

  it('a state change leaves with its parts’ final state, before the progress interval', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setImmediate', 'Date'] });
    const updates: JobsUpdate[] = [];
    const { batcher, model } = batcherOn((onDirty) => new JobProgress('a', 20, 2, onDirty), updates);
    model.setState(0, 'uploading');
    model.setState(1, 'uploading');
    model.confirmed(0, 10);
    model.confirmed(1, 10);
    batcher.jobChanged({ ...view('a'), state: 'done' });
    t.mock.timers.tick(0);
    assert.equal(updates.length, 1);
    assert.equal(updates[0]!.changed[0]!.state, 'done');
    assert.deepEqual(
      updates[0]!.progress[0]!.parts.map(([index, part]) => [index, part.state]),
      [
        [0, 'done'],
        [1, 'done'],
      ],
    );
    t.mock.timers.tick(100);
    assert.equal(updates.length, 1, 'nothing was left for the progress interval');
  });

  it('a state change takes only its own job’s progress: the other jobs keep to the interval', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setImmediate', 'Date'] });
    const updates: JobsUpdate[] = [];
    const models = new Map<string, JobProgress>();
    const source = {
      takeProgress: () => [...models.values()].flatMap((model) => model.takeChanges() ?? []),
      takeJobProgress: (jobId: string) => models.get(jobId)?.takeChanges(),
    };
    const batcher = new UpdateBatcher((update) => updates.push(update), source, 100);
    for (const id of ['a', 'b']) models.set(id, new JobProgress(id, 1_000_000, 10, () => batcher.progressPending()));
    models.get('a')!.sent(0, 5);
    models.get('b')!.sent(0, 7);
    batcher.jobChanged({ ...view('b'), state: 'paused' });
    t.mock.timers.tick(0);
    assert.equal(updates.length, 1);
    assert.deepEqual(
      updates[0]!.progress.map((batch) => batch.jobId),
      ['b'],
      'the paused job’s parts leave with its state',
    );
    t.mock.timers.tick(99);
    assert.equal(updates.length, 1, 'the other job’s progress waits for the interval');
    t.mock.timers.tick(1);
    assert.deepEqual(
      updates[1]!.progress.map((batch) => batch.jobId),
      ['a'],
    );
  });
});

describe('rotating log', () => {
  it('rotates by size, keeps a few generations, and cuts credentials out', async (t) => {
    const dir = await tempDir(t);
    const log = new RotatingLog(dir, { maxBytes: 2000, keep: 2 });
    for (let index = 0; index < 200; index++)
      log.info('upload event', { index, authorization: 'Bearer abc.def', note: `token="xyz"` });
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['hoist.log', 'hoist.log.1', 'hoist.log.2']);
    assert.ok(statSync(join(dir, 'hoist.log')).size <= 2200);
    const text = files.map((name) => readFileSync(join(dir, name), 'utf8')).join('');
    assert.ok(!text.includes('abc.def') && !text.includes('xyz'), 'no credential survives');
    assert.match(text, /\[redacted\]/);
  });
});
