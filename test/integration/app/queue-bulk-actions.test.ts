import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { memoryStoresFor } from '../../../electron/service/settings-store.ts';
import { UploadService } from '../../../electron/service/upload-service.ts';
import { clientFor } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

async function serviceFor(t: TestContext, localbox: { url: string; token: string }): Promise<UploadService> {
  const { settings, secrets } = memoryStoresFor(localbox);
  const service = await UploadService.start({ stateDir: await tempDir(t), settings, secrets, updateIntervalMs: 20 });
  t.after(() => service.shutdown());
  return service;
}

const stateOf = (service: UploadService, name: string) =>
  service.listJobs().jobs.find((job) => job.fileName === name)?.state;

describe('the queue as a whole: refused files, destinations, sizes, retry failed, clear finished', () => {
  it('a refused file stays in the list as a failed row with its reason until removed', async (t) => {
    const localbox = await localboxFor(t);
    const service = await serviceFor(t, localbox);
    const missing = join(await tempDir(t), 'gone.pdf');
    const result = await service.addFiles([missing]);
    assert.equal(result.added.length, 0);
    const row = service.listJobs().jobs[0]!;
    assert.deepEqual(
      { state: row.state, refused: row.refused, fileName: row.fileName, jobId: result.rejected[0]?.jobId },
      { state: 'failed', refused: true, fileName: 'gone.pdf', jobId: row.id },
    );
    assert.match(row.error!.message, /Hoist cannot upload this file/);
    assert.deepEqual(service.retryFailed(), { retried: 0 }, 'a refused file cannot be retried');
    await service.addFiles([missing]);
    assert.equal(service.listJobs().jobs.length, 1, 'refused again: the same row');
    await service.remove(row.id);
    assert.deepEqual(service.listJobs().jobs, []);
  });

  it('a queued file shows its size and the Box folder it goes into, a folder drop its subfolders', async (t) => {
    const localbox = await localboxFor(t);
    const service = await serviceFor(t, localbox);
    const projects = await clientFor(localbox).createFolder('Projects', '0');
    await service.updateSettings({ destinationFolderId: projects.id });
    service.pauseAll();
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'plan.txt', 12_345, 1);
    const folder = join(dir, 'Trip');
    await mkdir(join(folder, 'day 2'), { recursive: true });
    await writePatternFile(join(folder, 'day 2'), 'beach.jpg', 777, 2);
    const { added } = await service.addFiles([file.path, folder]);
    const byName = Object.fromEntries(added.map((job) => [job.fileName, job]));
    assert.equal(byName['plan.txt']!.totals.sizeBytes, 12_345, 'the size before the upload starts');
    assert.deepEqual(byName['plan.txt']!.destinationPath, ['All Files', 'Projects']);
    assert.deepEqual(byName['beach.jpg']!.destinationPath, ['All Files', 'Projects', 'Trip', 'day 2']);
    assert.equal(byName['beach.jpg']!.totals.sizeBytes, 777);
  });

  it('retry failed sends every failed file again; clear finished removes the done ones only', async (t) => {
    const localbox = await localboxFor(t);
    const service = await serviceFor(t, localbox);
    const dir = await tempDir(t);
    localbox.faults.add({
      on: 'direct-upload',
      action: { kind: 'status', status: 403, code: 'access_denied_insufficient_permissions' },
      times: 2,
    });
    const files = await Promise.all(['a.txt', 'b.txt'].map((name, index) => writePatternFile(dir, name, 100, index)));
    await service.addFiles(files.map((file) => file.path));
    await until(() => service.listJobs().jobs.every((job) => job.state === 'failed'), 'both failed');
    const third = await writePatternFile(dir, 'c.txt', 100, 3);
    await service.addFiles([third.path]);
    await until(() => stateOf(service, 'c.txt') === 'done', 'the third one done');

    assert.deepEqual(service.retryFailed(), { retried: 2 });
    await until(() => service.listJobs().jobs.every((job) => job.state === 'done'), 'all done after retry');
    await service.addFiles([join(dir, 'missing.txt')]);
    const removed: string[] = [];
    service.on('update', (update) => removed.push(...update.removed));
    assert.deepEqual(await service.clearFinished(), { cleared: 3 });
    assert.deepEqual(
      service.listJobs().jobs.map((job) => [job.fileName, job.state]),
      [['missing.txt', 'failed']],
      'what failed stays',
    );
    await until(() => removed.length === 3, 'the window is told');
  });
});
