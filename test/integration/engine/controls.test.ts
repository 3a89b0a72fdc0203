import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertStored, queueFor, readProgress, uploadOne, waitForState } from '../../helpers/engine-fixture.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;

describe('job controls', () => {
  it('pauses without error and resumes in the same process, sending only what is missing', async (t) => {
    // A slow link so the pause lands mid-upload.
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 20_000_000 });
    const file = await writePatternFile(await tempDir(t), 'pause.bin', 52_000_000, 61);
    const queue = queueFor(t, localbox, { parallel: 2 });
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
    await new Promise<void>((resolve) => {
      const stop = readProgress(queue, (batch) => {
        if (batch.totals.partsDone < 2) return;
        stop();
        resolve();
      });
    });
    job.pause();
    const paused = await waitForState(queue, job, ['paused']);
    assert.equal(paused.error, undefined, 'a pause is not an error');
    // The parts in flight were aborted; the server notices when their sockets close, which on a
    // loaded machine can come a little after the job says "paused".
    await until(() => localbox.stats().partPutsInFlight === 0, 'the aborted parts end at the server');
    const receivedAtPause = localbox.stats().partBodyBytesReceived;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(localbox.stats().partPutsInFlight, 0, 'nothing is sent while paused');
    assert.equal(localbox.stats().partBodyBytesReceived, receivedAtPause, 'no byte arrives while paused');
    job.resume();
    const done = await waitForState(queue, job, ['done', 'failed']);
    await assertStored(queue, done, file.sha1);
    const total = localbox.stats().partBodyBytesReceived;
    assert.ok(total - receivedAtPause <= 52_000_000, 'the resumed run did not start over');
    assert.ok(total <= 52_000_000 + 3 * PART_BYTES, `at most (P + 1) parts were sent twice: ${total}`);
  });

  it('cancel aborts the upload session on the server', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 20_000_000 });
    const file = await writePatternFile(await tempDir(t), 'cancel.bin', 41_000_000, 62);
    const queue = queueFor(t, localbox, { parallel: 2 });
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
    await waitForState(queue, job, ['uploading']);
    while (!job.record.session) await new Promise((resolve) => setTimeout(resolve, 10));
    const session = job.record.session;
    await job.cancel();
    assert.equal(job.state, 'canceled');
    const status = await call(localbox, 'GET', session.endpoints.status);
    assert.equal(status.status, 404, 'the session is gone');
    const listing = await call(localbox, 'GET', '/2.0/folders/0/items');
    assert.equal(listing.body?.['total_count'], 0, 'nothing was committed');
  });

  it('uploads small files directly (multipart), including an empty one', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const queue = queueFor(t, localbox);
    for (const sizeBytes of [0, 1, 65_536, 19_999_999]) {
      const file = await writePatternFile(dir, `direct-${sizeBytes}.bin`, sizeBytes, 63);
      const view = await uploadOne(queue, file.path);
      await assertStored(queue, view, file.sha1);
      assert.equal(view.method, 'direct');
    }
    assert.equal(
      localbox.stats().requestsByOperation['create-session'] ?? 0,
      0,
      'no session for files under 20,000,000 bytes',
    );
  });

  it('retries a direct upload answered with 503', async (t) => {
    const localbox = await localboxFor(t);
    localbox.faults.add({
      on: 'direct-upload',
      times: 2,
      action: { kind: 'status', status: 503, retryAfterSeconds: 0 },
    });
    const file = await writePatternFile(await tempDir(t), 'direct-retry.bin', 300_000, 64);
    const queue = queueFor(t, localbox);
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
  });

  it('uploads a new version of an existing file, by session and directly', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const dir = await tempDir(t);
    const queue = queueFor(t, localbox);
    const first = await uploadOne(queue, (await writePatternFile(dir, 'versioned.bin', 1000, 65)).path);
    for (const [sizeBytes, seed] of [
      [25_000_000, 66],
      [2000, 67],
    ] as const) {
      const next = await writePatternFile(dir, `next-${seed}.bin`, sizeBytes, seed);
      const job = queue.add({
        path: next.path,
        destination: { kind: 'new-version', fileId: first.fileId! },
        fileName: 'versioned.bin',
      });
      const view = await waitForState(queue, job, ['done', 'failed']);
      await assertStored(queue, view, next.sha1);
      assert.equal(view.fileId, first.fileId, 'the same file, a new version');
    }
  });

  it('pauses all and resumes all', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 30_000_000 });
    const dir = await tempDir(t);
    const files = await Promise.all([71, 72].map((seed) => writePatternFile(dir, `all-${seed}.bin`, 22_000_000, seed)));
    const queue = queueFor(t, localbox, { parallel: 2 });
    const jobs = files.map((file) => queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } }));
    await waitForState(queue, jobs[0]!, ['uploading']);
    queue.pauseAll();
    for (const job of jobs) await waitForState(queue, job, ['paused']);
    queue.resumeAll();
    for (const [index, job] of jobs.entries())
      await assertStored(queue, await waitForState(queue, job, ['done', 'failed']), files[index]!.sha1);
  });
});
