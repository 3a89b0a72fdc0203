import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobProgress, type ProgressClock } from '../../electron/engine/job-progress.ts';

describe('job progress', () => {
  function fakeClock() {
    let nowMs = 0;
    const clock: ProgressClock = { now: () => nowMs };
    return { clock, advance: (ms: number) => (nowMs += ms) };
  }

  it('keeps sent and confirmed apart; a retry drops sent back to confirmed', () => {
    const { clock } = fakeClock();
    const progress = new JobProgress('j', 30, 3, () => undefined, clock);
    progress.sent(0, 6);
    progress.sent(1, 4);
    assert.equal(progress.totals().bytesSent, 10);
    progress.confirmed(0, 10);
    assert.deepEqual([progress.totals().bytesConfirmed, progress.totals().bytesSent], [10, 14]);
    progress.setState(1, 'retrying', { lastError: 'reset' });
    assert.deepEqual([progress.totals().bytesConfirmed, progress.totals().bytesSent], [10, 10]);
    progress.confirmed(1, 10);
    progress.confirmed(2, 10);
    progress.confirmed(2, 10);
    const totals = progress.totals();
    assert.deepEqual([totals.bytesConfirmed, totals.bytesSent, totals.partsDone, totals.etaSeconds], [30, 30, 3, 0]);
  });

  it('when the run stops, parts in flight go back to pending with nothing sent; failed and done parts stay', () => {
    const { clock } = fakeClock();
    const progress = new JobProgress('j', 40, 4, () => undefined, clock);
    progress.confirmed(0, 10);
    progress.setState(1, 'uploading');
    progress.sent(1, 7);
    progress.setState(2, 'reading');
    progress.setState(3, 'failed', { lastError: '500' });
    assert.equal(progress.totals().bytesSent, 17);
    progress.settle();
    const batch = progress.takeChanges();
    assert.deepEqual(
      progress.parts.map((part) => [part.state, part.bytesSent]),
      [
        ['done', 10],
        ['pending', 0],
        ['pending', 0],
        ['failed', 0],
      ],
    );
    assert.deepEqual([progress.totals().bytesSent, progress.totals().bytesConfirmed], [10, 10]);
    assert.deepEqual(
      batch!.parts.map(([index, part]) => [index, part.state]),
      [
        [0, 'done'],
        [1, 'pending'],
        [2, 'pending'],
        [3, 'failed'],
      ],
    );
  });

  it('only marks parts dirty: nothing leaves until it is taken, then each changed part once, latest state', () => {
    let signals = 0;
    const progress = new JobProgress('j', 100, 10, () => (signals += 1));
    for (let round = 1; round <= 100; round++) for (let i = 0; i < 10; i++) progress.sent(i, round);
    assert.equal(signals, 1, 'told once that something is unread, not once per change');
    const batch = progress.takeChanges()!;
    assert.deepEqual(
      batch.parts.map(([index, part]) => [index, part.bytesSent]),
      Array.from({ length: 10 }, (_, index) => [index, 100]),
    );
    assert.equal(batch.totals.bytesSent, 100);
    assert.equal(progress.takeChanges(), undefined, 'nothing is left once taken');
    progress.setState(3, 'done');
    assert.equal(signals, 2, 'told again after a read');
    assert.deepEqual(
      progress.takeChanges()!.parts.map(([index]) => index),
      [3],
    );
  });

  it('smooths speed and derives the ETA from it', () => {
    const { clock, advance } = fakeClock();
    const progress = new JobProgress('j', 10_000_000, 10, () => undefined, clock);
    for (let second = 1; second <= 5; second++) {
      advance(1000);
      progress.confirmed(second - 1, 1_000_000);
      progress.totals();
    }
    const totals = progress.totals();
    assert.ok(Math.abs(totals.speedBytesPerSec - 1_000_000) < 1000, String(totals.speedBytesPerSec));
    assert.equal(totals.etaSeconds, 5);
  });

  it('measures the same speed however often its changes are taken', () => {
    const speedAfter = (readEveryMs: number): number => {
      const { clock, advance } = fakeClock();
      const progress = new JobProgress('j', 100_000_000, 100, () => undefined, clock);
      // 1 MB confirmed every 100 ms for 10 s: 10 MB/s, read every `readEveryMs`.
      for (let tenth = 1; tenth <= 100; tenth++) {
        advance(100);
        progress.confirmed(tenth - 1, 1_000_000);
        if ((tenth * 100) % readEveryMs === 0) progress.takeChanges();
      }
      return progress.takeChanges()?.totals.speedBytesPerSec ?? progress.totals().speedBytesPerSec;
    };
    for (const readEveryMs of [100, 500, 2000]) {
      const speed = speedAfter(readEveryMs);
      assert.ok(Math.abs(speed - 10_000_000) < 10_000, `read every ${readEveryMs} ms: ${speed}`);
    }
  });
});
