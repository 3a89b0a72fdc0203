import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arrivals, assertRetriedBeforeLaterParts } from '../../helpers/dispatch-order.ts';
import { assertStored, queueFor, uploadOne } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

const ODD_PART_BYTES = 5 * 1024 * 1024 + 1;

describe('ordered parallel pipeline', () => {
  it('dispatches parts in offset order with exactly P in flight, and commits the right bytes', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES, latencyMs: 40 });
    const file = await writePatternFile(await tempDir(t), 'ordered.bin', 62_000_000, 1);
    const queue = queueFor(t, localbox, { parallel: 3 });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
    const stats = localbox.stats();
    const offsets = arrivals(stats.partAttempts).map((attempt) => attempt.offset);
    assert.deepEqual(
      offsets,
      [...offsets].sort((a, b) => a - b),
      'first attempts arrive in offset order',
    );
    assert.equal(offsets.length, Math.ceil(62_000_000 / ODD_PART_BYTES), 'no part was sent twice');
    assert.deepEqual(Object.values(stats.maxPartPutsInFlightBySession), [3], 'P = 3 parts in flight, never more');
  });

  it('raising parts in parallel mid-upload takes effect at once, up to the new value', async (t) => {
    // 6 MB/s per connection: a part takes most of a second, far longer than reading the next ones.
    const localbox = await localboxFor(t, {
      partSize: ODD_PART_BYTES,
      latencyMs: 60,
      connBandwidthBytesPerSec: 6_000_000,
    });
    const file = await writePatternFile(await tempDir(t), 'raised.bin', 9 * ODD_PART_BYTES, 7);
    const queue = queueFor(t, localbox, { parallel: 1 });
    const done = uploadOne(queue, file.path);
    await until(() => localbox.stats().partAttempts.length >= 2, 'two parts sent one at a time');
    const raisedAtSeq = Math.max(
      ...localbox.stats().partAttempts.map((attempt) => Math.max(attempt.startSeq, attempt.endSeq ?? 0)),
    );
    queue.setParallel(6);
    await assertStored(queue, await done, file.sha1);
    const attempts = localbox.stats().partAttempts;
    assert.deepEqual(
      Object.values(localbox.stats().maxPartPutsInFlightBySession),
      [6],
      'six in flight after the raise',
    );
    // At once: the five more parts go out before any part sent after the raise has ended.
    const afterRaise = arrivals(attempts).filter((attempt) => attempt.startSeq > raisedAtSeq);
    const firstEndSeq = Math.min(...afterRaise.map((attempt) => attempt.endSeq ?? Infinity));
    assert.ok(
      afterRaise.filter((attempt) => attempt.startSeq < firstEndSeq).length >= 5,
      'five parts arrived after the raise before the first of them was answered',
    );
  });

  it('retries a failed part before dispatching any part with a higher offset', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES, latencyMs: 30 });
    const file = await writePatternFile(await tempDir(t), 'retry-first.bin', 52_000_000, 2);
    // The 3rd part PUT fails twice with 503 and retry-after: 1, so its retry has to wait.
    localbox.faults.add({
      on: 'upload-part',
      skip: 2,
      times: 2,
      action: { kind: 'status', status: 503, retryAfterSeconds: 1 },
    });
    const queue = queueFor(t, localbox, { parallel: 4 });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
    assertRetriedBeforeLaterParts(localbox.stats().partAttempts, ODD_PART_BYTES, 4);
  });

  it('never exceeds the global cap across jobs, and starts jobs in the order added', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES, latencyMs: 30 });
    const dir = await tempDir(t);
    const files = await Promise.all(
      [1, 2, 3].map((seed) => writePatternFile(dir, `global-${seed}.bin`, 31_000_000, seed + 10)),
    );
    const queue = queueFor(t, localbox, { parallel: 4, maxPartsInFlight: 5, maxActiveJobs: 3 });
    const started: string[] = [];
    queue.on('job-changed', (view) => {
      if (view.state === 'uploading' && !started.includes(view.fileName)) started.push(view.fileName);
    });
    const views = await Promise.all(files.map((file) => uploadOne(queue, file.path)));
    for (const [index, view] of views.entries()) await assertStored(queue, view, files[index]!.sha1);
    assert.deepEqual(started, ['global-1.bin', 'global-2.bin', 'global-3.bin']);
    const stats = localbox.stats();
    assert.ok(stats.maxPartPutsInFlight <= 5, `at most 5 parts in flight overall, saw ${stats.maxPartPutsInFlight}`);
    for (const perSession of Object.values(stats.maxPartPutsInFlightBySession)) assert.ok(perSession <= 4);
  });

  for (const partSizeBytes of [5 * 1024 * 1024 + 1, 7_777_777, 8 * 1024 * 1024, 20_000_000]) {
    it(`uploads with a server part size of ${partSizeBytes} bytes`, async (t) => {
      const localbox = await localboxFor(t, { partSize: partSizeBytes });
      const dir = await tempDir(t);
      for (const sizeBytes of [20_000_000, 20_000_001, partSizeBytes * 3]) {
        const file = await writePatternFile(dir, `odd-${sizeBytes}.bin`, sizeBytes, sizeBytes % 997);
        const queue = queueFor(t, localbox, { parallel: 4 });
        await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
      }
    });
  }

  it('keeps the same buffers whatever the file size: at most P + 1 parts in memory', async () => {
    const { BufferPool } = await import('../../../electron/engine/buffer-pool.ts');
    const pool = new BufferPool(1024, 3);
    const taken = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    let fourth = false;
    const waiting = pool.acquire().then(() => (fourth = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fourth, false, 'a fourth buffer waits for one to come back');
    pool.release(taken[0]!);
    await waiting;
    assert.equal(pool.allocated, 3);
  });
});
