import assert from 'node:assert/strict';
import { appendFile, chmod, open, rename, stat, truncate, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it, type TestContext } from 'node:test';
import type { UploadQueue } from '../../../electron/engine/upload-queue.ts';
import type { UploadJob } from '../../../electron/engine/upload-job.ts';
import { assertStored, queueFor, waitForState } from '../../helpers/engine-fixture.ts';
import { killHard, partsDone, runHoist, startHoist, waitForEvent } from '../../helpers/hoist-process.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { patternBytes, writePatternFile } from '../../helpers/test-files.ts';

const PART_BYTES = 2 * 1024 * 1024 + 1;
const FILE_BYTES = 40_000_000;

/** A whole-second modification time, which utimes can put back exactly. */
const MTIME_SECONDS = 1_700_000_000;

async function uploadingJob(t: TestContext, seed: number) {
  const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 5_000_000 });
  const file = await writePatternFile(await tempDir(t), `edit-${seed}.bin`, FILE_BYTES, seed);
  await utimes(file.path, MTIME_SECONDS, MTIME_SECONDS);
  const queue = queueFor(t, localbox, { parallel: 2 });
  const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
  while (job.record.confirmed.size < 2) await delay(5);
  return { localbox, file, queue, job, session: job.record.session! };
}

/** The job stopped with "the file changed", its session is gone, and nothing was committed. */
async function assertCaught(
  queue: UploadQueue,
  job: UploadJob,
  localbox: Parameters<typeof call>[0],
  statusUrl: string,
) {
  const view = await waitForState(queue, job, ['failed', 'done']);
  assert.equal(view.state, 'failed');
  assert.equal(view.error?.kind, 'file-changed');
  assert.match(view.error?.message ?? '', /The file changed on disk while it was uploading .*nothing was committed/);
  assert.equal((await call(localbox, 'GET', '/2.0/folders/0/items')).body?.['total_count'], 0, 'nothing committed');
  assert.equal((await call(localbox, 'GET', statusUrl)).status, 404, 'the session was aborted');
  return view;
}

describe('a file edited while it uploads is never committed', () => {
  it('bytes already sent overwritten, with the modification time put back', async (t) => {
    const { localbox, file, queue, job, session } = await uploadingJob(t, 201);
    const handle = await open(file.path, 'r+');
    await handle.write(patternBytes(4096, 999), 0, 4096, 100);
    await handle.close();
    await utimes(file.path, MTIME_SECONDS, MTIME_SECONDS);
    assert.equal(
      (await stat(file.path, { bigint: true })).mtimeNs,
      BigInt(MTIME_SECONDS) * 1_000_000_000n,
      'mtime is back',
    );
    const view = await assertCaught(queue, job, localbox, session.endpoints.status);
    // Caught by the content check of the parts already sent, or, when a part was read between the
    // write and the utimes that put the mtime back (a loaded machine), by that read's fstat.
    assert.match(view.error!.message, /part 1 .*changed|its modification time changed/);
  });

  it('data appended', async (t) => {
    const { localbox, file, queue, job, session } = await uploadingJob(t, 202);
    await appendFile(file.path, 'more');
    const view = await assertCaught(queue, job, localbox, session.endpoints.status);
    assert.match(view.error!.message, /size changed from 40,000,000 to 40,000,004 bytes/);
  });

  it('file truncated', async (t) => {
    const { localbox, file, queue, job, session } = await uploadingJob(t, 203);
    await truncate(file.path, 10_000_000);
    await assertCaught(queue, job, localbox, session.endpoints.status);
  });

  it('replaced by rename (saved over by an editor)', async (t) => {
    const { localbox, file, queue, job, session } = await uploadingJob(t, 204);
    const replacement = `${file.path}.new`;
    await writeFile(replacement, file.bytes);
    await rename(replacement, file.path);
    const view = await assertCaught(queue, job, localbox, session.endpoints.status);
    assert.match(view.error!.message, /replaced by a different file/);
  });

  it('deleted', async (t) => {
    const { localbox, file, queue, job, session } = await uploadingJob(t, 205);
    await unlink(file.path);
    const view = await assertCaught(queue, job, localbox, session.endpoints.status);
    assert.match(view.error!.message, /deleted/);
  });

  it('a ctime-only change with the same bytes (chmod) is checked and the upload goes on', async (t) => {
    const { file, queue, job } = await uploadingJob(t, 206);
    await chmod(file.path, 0o600);
    await assertStored(queue, await waitForState(queue, job, ['failed', 'done']), file.sha1);
  });

  it('an edit between a crash and `hoist resume` is reported, and the session aborted', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 6_000_000 });
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'between.bin', FILE_BYTES, 207);
    const target = ['--api-url', localbox.url, '--token', localbox.token, '--state-dir', join(dir, 'state'), '--json'];
    const run = startHoist(t, ['upload', file.path, ...target]);
    await waitForEvent(run, (event) => partsDone(event) >= 4);
    await killHard(run);
    const session = localbox.stats().partAttempts[0]!.sessionId;
    await appendFile(file.path, 'edited after the crash');
    const resumed = await runHoist(['resume', ...target]);
    assert.equal(resumed.code, 1);
    assert.match(resumed.stdout, /"kind":"file-changed"/);
    assert.equal((await call(localbox, 'GET', `/api/2.0/files/upload_sessions/${session}`)).status, 404);
    assert.equal((await runHoist(['list', '--state-dir', join(dir, 'state')])).stdout.trim(), 'no unfinished uploads');
  });
});
