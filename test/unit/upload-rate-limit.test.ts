import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadRateLimit } from '../../electron/box/upload-rate-limit.ts';
import { ManualClock } from '../helpers/manual-clock.ts';

/** Takes `bytes` and records the simulated time at which each grant came. */
function recordGrants(limit: UploadRateLimit, clock: ManualClock, takes: number[], signal?: AbortSignal) {
  const grantedAtMs: Array<number | 'aborted'> = [];
  const all = takes.map((bytes, index) =>
    limit.take(bytes, signal).then(
      () => (grantedAtMs[index] = clock.nowMs()),
      () => (grantedAtMs[index] = 'aborted'),
    ),
  );
  return { grantedAtMs, all: Promise.all(all) };
}

/** Lets granted promises run their callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('upload speed limit', () => {
  it('lets every byte through at once when there is no limit', async () => {
    const clock = new ManualClock();
    const limit = new UploadRateLimit(undefined, clock);
    const { grantedAtMs, all } = recordGrants(limit, clock, [1_000_000, 1_000_000]);
    await all;
    assert.deepEqual(grantedAtMs, [0, 0]);
    assert.equal(limit.sliceBytes(), 1024 * 1024);
  });

  it('spaces slices so the bytes granted follow the limit, first come first served', async () => {
    const clock = new ManualClock();
    const limit = new UploadRateLimit(100_000, clock);
    assert.equal(limit.sliceBytes(), 6250, 'a sixteenth of a second at the limit');
    const { grantedAtMs } = recordGrants(limit, clock, [50_000, 50_000, 25_000, 100_000]);
    await settle();
    for (let step = 0; step < 40; step++) {
      clock.advance(50);
      await settle();
    }
    // 50 kB now, then each waits for the debt before it to be paid at 100 kB/s.
    assert.deepEqual(grantedAtMs, [0, 500, 1000, 1250]);
  });

  it('follows a new limit at once, and lifting it releases every waiting slice', async () => {
    const clock = new ManualClock();
    const limit = new UploadRateLimit(10_000, clock);
    const { grantedAtMs, all } = recordGrants(limit, clock, [10_000, 10_000, 10_000, 10_000]);
    await settle();
    assert.deepEqual(grantedAtMs, [0]);
    limit.set(100_000);
    clock.advance(100);
    await settle();
    assert.deepEqual(grantedAtMs, [0, 100], 'the debt of 10 kB is paid in 100 ms at the new limit');
    limit.set(undefined);
    await all;
    assert.deepEqual(grantedAtMs, [0, 100, 100, 100]);
    assert.equal(clock.pendingTimers, 0);
  });

  it('does not save up more than one slice while idle', async () => {
    const clock = new ManualClock();
    const limit = new UploadRateLimit(160_000, clock);
    clock.advance(60_000);
    const { grantedAtMs } = recordGrants(limit, clock, [10_000, 10_000, 10_000]);
    await settle();
    assert.deepEqual(grantedAtMs, [60_000, 60_000], 'the bucket holds one slice (10 kB), then runs into debt');
    clock.advance(62);
    await settle();
    assert.equal(grantedAtMs.length, 2);
    clock.advance(1);
    await settle();
    assert.deepEqual(grantedAtMs, [60_000, 60_000, 60_063]);
  });

  it('drops a waiter whose request is aborted without spending its bytes', async () => {
    const clock = new ManualClock();
    const limit = new UploadRateLimit(10_000, clock);
    await limit.take(10_000);
    const aborts = new AbortController();
    const cancelled = recordGrants(limit, clock, [10_000], aborts.signal);
    const kept = recordGrants(limit, clock, [5_000]);
    aborts.abort(new Error('canceled'));
    await cancelled.all;
    assert.deepEqual(cancelled.grantedAtMs, ['aborted']);
    clock.advance(1000);
    await kept.all;
    assert.deepEqual(kept.grantedAtMs, [1000], 'the next waiter pays only the first debt');
    await assert.rejects(limit.take(1, AbortSignal.abort(new Error('already'))), /already/);
  });

  it('refuses a limit that is not a positive number', () => {
    const limit = new UploadRateLimit();
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => limit.set(bad), RangeError);
    assert.equal(limit.bytesPerSecond, undefined);
  });
});
