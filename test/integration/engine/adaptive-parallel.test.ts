import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PartAttempt } from '../../../electron/localbox/localbox-stats.ts';
import { arrivals, assertRetriedBeforeLaterParts } from '../../helpers/dispatch-order.ts';
import { assertStored, queueFor, uploadOne } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

const PART_BYTES = 1024 * 1024;

/**
 * Part PUTs in flight as the server saw them: for each PUT that arrived, how many were in flight
 * with it, and how many PUTs that arrived after `fromSeq` had ended before it.
 */
function inFlightAtArrivals(attempts: PartAttempt[], fromSeq: number) {
  const events = attempts
    .flatMap((attempt) => [
      { seq: attempt.startSeq, delta: 1, attempt },
      ...(attempt.endSeq === null ? [] : [{ seq: attempt.endSeq, delta: -1, attempt }]),
    ])
    .sort((a, b) => a.seq - b.seq);
  let inFlight = 0;
  let endedSince = 0;
  const seen: Array<{ offset: number; inFlight: number; endedBefore: number }> = [];
  for (const event of events) {
    inFlight += event.delta;
    if (event.seq <= fromSeq) continue;
    if (event.delta < 0 && event.attempt.startSeq > fromSeq) endedSince += 1;
    else seen.push({ offset: event.attempt.offset, inFlight, endedBefore: endedSince });
  }
  return seen;
}

describe('parts in flight, "auto", against localbox', () => {
  it('keeps offset order and retries a failed part before later ones', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, latencyMs: 20 });
    const file = await writePatternFile(await tempDir(t), 'auto-order.bin', 30 * PART_BYTES + 5, 31);
    localbox.faults.add({ on: 'upload-part', skip: 6, times: 2, action: { kind: 'status', status: 503 } });
    const queue = queueFor(t, localbox, { parallel: 'auto' });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
    const attempts = localbox.stats().partAttempts;
    const firsts = arrivals(attempts)
      .filter((attempt, index, all) => all.findIndex((other) => other.offset === attempt.offset) === index)
      .map((attempt) => attempt.offset);
    assert.deepEqual(
      firsts,
      [...firsts].sort((a, b) => a - b),
      'first attempts arrive in offset order',
    );
    assertRetriedBeforeLaterParts(attempts, PART_BYTES, 5);
    assert.ok(localbox.stats().maxPartPutsInFlight <= 5, 'never more than Box’s 5');
  });

  it('backs off to 3 in flight after a 429', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 10_000_000 });
    const file = await writePatternFile(await tempDir(t), 'auto-429.bin', 24 * PART_BYTES, 32);
    localbox.faults.add({
      on: 'upload-part',
      skip: 5,
      action: { kind: 'status', status: 429, retryAfterSeconds: 1 },
    });
    const queue = queueFor(t, localbox, { parallel: 'auto' });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
    const attempts = localbox.stats().partAttempts;
    const refused = attempts.find((attempt) => attempt.status === 429)!;
    const retry = arrivals(attempts).find(
      (attempt) => attempt.offset === refused.offset && attempt.startSeq > refused.startSeq,
    )!;
    assert.equal(localbox.stats().maxPartPutsInFlight, 5, 'five in flight before it');
    // From the retry on (every upload waited out retry-after): three at most until a round at
    // three has ended (three parts sent since then confirmed).
    const after = inFlightAtArrivals(attempts, retry.startSeq - 1).filter((seen) => seen.endedBefore < 3);
    assert.ok(after.length >= 3, 'parts went on after the 429');
    assert.ok(
      after.every((seen) => seen.inFlight <= 3),
      `in flight after the 429: ${after.map((seen) => seen.inFlight).join(', ')}`,
    );
  });

  it('grows again after backing off, on a link limited per connection', async (t) => {
    // 2 MB/s per connection and 200 ms per answer: the link, not this machine's CPU (shared by
    // the client and localbox here), sets the pace, so each part more in flight is faster.
    const localbox = await localboxFor(t, {
      partSize: PART_BYTES,
      connBandwidthBytesPerSec: 2_000_000,
      latencyMs: 200,
    });
    const file = await writePatternFile(await tempDir(t), 'auto-grow.bin', 24 * PART_BYTES, 33);
    localbox.faults.add({ on: 'upload-part', skip: 2, action: { kind: 'status', status: 503 } });
    const queue = queueFor(t, localbox, { parallel: 'auto' });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
    const attempts = localbox.stats().partAttempts;
    const failed = attempts.find((attempt) => attempt.status === 503)!;
    const after = inFlightAtArrivals(attempts, failed.endSeq!);
    const counts = after.map((seen) => seen.inFlight).join(', ');
    const firstGrown = after.findIndex((seen) => seen.inFlight > 3);
    assert.ok(firstGrown > 0, `more than 3 in flight again after the 503: ${counts}`);
    assert.ok(
      after.slice(0, firstGrown).every((seen) => seen.inFlight <= 3),
      `3 at most until a round at 3 showed the way: ${counts}`,
    );
  });
});
