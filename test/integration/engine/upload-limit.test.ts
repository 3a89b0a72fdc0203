import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxClient } from '../../../electron/box/box-client.ts';
import { FixedTokenSource } from '../../../electron/box/token-source.ts';
import { UploadRateLimit } from '../../../electron/box/upload-rate-limit.ts';
import { UploadQueue } from '../../../electron/engine/upload-queue.ts';
import type { LocalboxHandle } from '../../../electron/localbox/localbox.ts';
import { assertStored, waitForState } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;
const LIMIT_BYTES_PER_SEC = 1_000_000;

/** A queue whose client sends under `limit`, which runs on a clock the test moves by hand. */
function limitedQueue(t: { after(fn: () => unknown): void }, localbox: LocalboxHandle, parallel: number) {
  const clock = new ManualClock();
  const limit = new UploadRateLimit(LIMIT_BYTES_PER_SEC, clock);
  const client = new BoxClient(
    { apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` },
    new FixedTokenSource(localbox.token),
    { uploadRate: limit },
  );
  const queue = new UploadQueue({ client, parallel, random: () => 0 });
  t.after(() => queue.shutdown());
  return { clock, limit, queue };
}

describe('upload speed limit', () => {
  it('holds every part body to the bytes the limit granted, and follows a change mid-upload', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const file = await writePatternFile(await tempDir(t), 'limited.bin', 21_000_000, 71);
    const { clock, limit, queue } = limitedQueue(t, localbox, 4);
    const sliceBytes = limit.sliceBytes();
    const received = () => localbox.stats().partBodyBytesReceived;
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });

    // Time stands still: one slice goes out on credit, then all four parts wait for the limit.
    await until(() => limit.waitingSlices === 4 && received() === sliceBytes, 'four parts wait after one slice');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(received(), sliceBytes, 'nothing more leaves while the limit grants nothing');
    assert.equal(job.view().totals.partsDone, 0);

    // A sixteenth of a second pays the slice back: exactly one more slice goes out.
    clock.advance(Math.ceil((1000 * sliceBytes) / LIMIT_BYTES_PER_SEC));
    await until(() => limit.waitingSlices === 4 && received() === 2 * sliceBytes, 'one more slice went out');

    limit.set(undefined);
    const done = await waitForState(queue, job, ['done', 'failed']);
    await assertStored(queue, done, file.sha1);
    assert.equal(received(), 21_000_000, 'no byte was sent twice');
  });

  it('holds a direct upload to the limit too', async (t) => {
    const localbox = await localboxFor(t);
    const file = await writePatternFile(await tempDir(t), 'small-limited.bin', 1_000_000, 72);
    const { limit, queue } = limitedQueue(t, localbox, 4);
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
    await until(() => limit.waitingSlices === 1, 'the direct upload waits for the limit');
    assert.ok(job.view().totals.bytesSent <= limit.sliceBytes(), `sent ${job.view().totals.bytesSent}`);
    limit.set(undefined);
    const done = await waitForState(queue, job, ['done', 'failed']);
    await assertStored(queue, done, file.sha1);
  });
});
