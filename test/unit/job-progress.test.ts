import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobProgress, type ProgressClock } from '../../electron/engine/job-progress.ts';
import type { JobProgressBatch } from '../../shared/job-model.ts';

describe('job progress', () => {
  function fakeClock() {
    let nowMs = 0;
    const timers: Array<() => void> = [];
    const clock: ProgressClock = {
      now: () => nowMs,
      setTimeout: (callback) => timers.push(callback),
      clearTimeout: () => undefined,
    };
    return { clock, advance: (ms: number) => (nowMs += ms), fire: () => timers.splice(0).forEach((timer) => timer()) };
  }

  it('keeps sent and confirmed apart; a retry drops sent back to confirmed', () => {
    const batches: JobProgressBatch[] = [];
    const { clock } = fakeClock();
    const progress = new JobProgress('j', 30, 3, (batch) => batches.push(batch), clock);
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
    const batches: JobProgressBatch[] = [];
    const { clock } = fakeClock();
    const progress = new JobProgress('j', 40, 4, (batch) => batches.push(batch), clock);
    progress.confirmed(0, 10);
    progress.setState(1, 'uploading');
    progress.sent(1, 7);
    progress.setState(2, 'reading');
    progress.setState(3, 'failed', { lastError: '500' });
    assert.equal(progress.totals().bytesSent, 17);
    progress.settle();
    progress.flush();
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
      batches.at(-1)!.parts.map(([index, part]) => [index, part.state]),
      [
        [0, 'done'],
        [1, 'pending'],
        [2, 'pending'],
        [3, 'failed'],
      ],
    );
  });

  it('batches changed parts into at most one event per interval; flush sends at once', () => {
    const batches: JobProgressBatch[] = [];
    const { clock, fire } = fakeClock();
    const progress = new JobProgress('j', 100, 10, (batch) => batches.push(batch), clock);
    for (let i = 0; i < 10; i++) progress.sent(i, 1);
    assert.equal(batches.length, 0);
    fire();
    assert.equal(batches.length, 1);
    assert.equal(batches[0]!.parts.length, 10);
    progress.setState(3, 'done');
    progress.flush();
    assert.deepEqual(
      batches[1]!.parts.map(([index]) => index),
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
});
