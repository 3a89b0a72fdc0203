import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxApiError } from '../../electron/box/box-error.ts';
import { NetworkError } from '../../electron/box/http-transport.ts';
import {
  AUTO_PARALLEL,
  ParallelController,
  PartsInFlight,
  signalsCongestion,
} from '../../electron/engine/parallel-controller.ts';
import type { ParallelSetting } from '../../shared/settings-model.ts';

const PART_BYTES = 8 * 1024 * 1024;

interface Link {
  /** Each connection's own cap, bytes per ms (long-distance TCP). */
  perConnection: number;
  /** The cap of all connections together, bytes per ms. */
  total: number;
}

/**
 * Uploads `parts` over a simulated link on a simulated clock (1 ms steps): parts in flight share
 * the total, each capped by the per-connection limit. `congestAtMs` fails the parts in flight
 * at that moment (a 429 for each). Returns the limit seen at every dispatch, with its time.
 */
function simulate(link: Link, parts: number, congestAtMs?: number) {
  let nowMs = 0;
  const controller = new ParallelController(nowMs);
  const active: Array<{ remaining: number; startedAtMs: number }> = [];
  const dispatched: Array<{ atMs: number; limit: number; inFlight: number }> = [];
  let next = 0;
  let retries = 0;
  let done = 0;
  while (done < parts) {
    while (active.length < controller.limit && (retries > 0 || next < parts)) {
      if (retries > 0) retries -= 1;
      else next += 1;
      active.push({ remaining: PART_BYTES, startedAtMs: nowMs });
      dispatched.push({ atMs: nowMs, limit: controller.limit, inFlight: active.length });
    }
    nowMs += 1;
    if (nowMs === congestAtMs) {
      // Every part in flight is refused (a 429 each) and goes again, first, when a slot is free.
      for (const _ of active) controller.congestion(nowMs);
      retries += active.length;
      active.length = 0;
      continue;
    }
    const rate = Math.min(link.perConnection, link.total / Math.max(1, active.length));
    for (const part of [...active]) {
      part.remaining -= rate;
      if (part.remaining <= 0) {
        active.splice(active.indexOf(part), 1);
        controller.partDone({ sizeBytes: PART_BYTES, startedAtMs: part.startedAtMs, endedAtMs: nowMs });
        done += 1;
      }
    }
  }
  return { dispatched, finishedAtMs: nowMs, controller };
}

const maxInFlightAfter = (dispatched: Array<{ atMs: number; inFlight: number }>, fromMs: number, toMs = Infinity) =>
  Math.max(0, ...dispatched.filter((d) => d.atMs > fromMs && d.atMs <= toMs).map((d) => d.inFlight));

/** 8 MB/s per connection, as `--conn-bandwidth 8000000`; the total unlimited. */
const PER_CONNECTION: Link = { perConnection: 8000, total: Infinity };
/** 32 MB/s for all connections together, as `--total-bandwidth 32000000`. */
const TOTAL: Link = { perConnection: Infinity, total: 32000 };

describe('parts in flight, "auto"', () => {
  it('starts at Box’s upper bound of 5: 15 parts go in 3 rounds on a link limited per connection', () => {
    const { dispatched, finishedAtMs } = simulate(PER_CONNECTION, 15);
    assert.equal(dispatched[0]!.limit, AUTO_PARALLEL.ceiling);
    assert.equal(maxInFlightAfter(dispatched, -1), 5);
    const roundMs = Math.ceil(PART_BYTES / PER_CONNECTION.perConnection);
    assert.ok(finishedAtMs <= 3 * roundMs + 3, `${finishedAtMs} ms for 3 rounds of ${roundMs} ms`);
  });

  it('drops to 3 on congestion, then grows back to 5 while each step makes a round faster (per-connection link)', () => {
    const congestAtMs = 500;
    const { dispatched } = simulate(PER_CONNECTION, 60, congestAtMs);
    const roundMs = Math.ceil(PART_BYTES / PER_CONNECTION.perConnection);
    assert.equal(maxInFlightAfter(dispatched, congestAtMs - 1, congestAtMs + roundMs - 1), 3, 'three right after');
    assert.equal(maxInFlightAfter(dispatched, congestAtMs + roundMs), 5, 'back to five');
    const atFour = dispatched.find((d) => d.atMs > congestAtMs && d.limit === 4);
    const atFive = dispatched.find((d) => d.atMs > congestAtMs && d.limit === 5);
    assert.ok(atFour && atFive && atFour.atMs < atFive.atMs, 'one part at a time: 3, then 4, then 5');
  });

  it('does not grow where more parts do not help (a link limited in total)', () => {
    const congestAtMs = 500;
    const { dispatched, controller } = simulate(TOTAL, 80, congestAtMs);
    assert.equal(maxInFlightAfter(dispatched, congestAtMs), 4, 'tried 4 once; no faster, so never 5');
    assert.equal(controller.limit, 3);
  });

  it('a burst of failures drops once, never below 3, and only parts dispatched after a change count', () => {
    const controller = new ParallelController(0);
    for (let i = 0; i < 5; i++) controller.congestion(10);
    assert.equal(controller.limit, 3);
    // Four parts sent before the drop end quickly: they say nothing about 3 in flight.
    for (let i = 0; i < 4; i++) controller.partDone({ sizeBytes: PART_BYTES, startedAtMs: 5, endedAtMs: 20 + i });
    assert.equal(controller.limit, 3);
    // A round at 3 (three parts dispatched after the drop): then it tries 4.
    for (let i = 0; i < 3; i++)
      controller.partDone({ sizeBytes: PART_BYTES, startedAtMs: 30, endedAtMs: 1000 + i * 300 });
    assert.equal(controller.limit, 4);
    controller.congestion(2000);
    assert.equal(controller.limit, 3);
  });

  it('counts 429s, 5xx and dropped connections as congestion, and nothing else', () => {
    const boxError = (status: number) => new BoxApiError({ status, code: 'x', message: 'x', operation: 'upload part' });
    assert.ok(signalsCongestion(boxError(429)));
    assert.ok(signalsCongestion(boxError(503)));
    assert.ok(signalsCongestion(boxError(500)));
    assert.ok(signalsCongestion(new NetworkError('ECONNRESET', 'connection reset')));
    assert.ok(!signalsCongestion(boxError(400)));
    assert.ok(!signalsCongestion(boxError(416)));
    assert.ok(!signalsCongestion(boxError(401)));
    assert.ok(!signalsCongestion(new Error('file changed')));
  });

  it('a fixed setting applies as it is, and a change applies at the next dispatch', () => {
    let setting: ParallelSetting = 2;
    let nowMs = 0;
    const inFlight = new PartsInFlight(
      () => setting,
      () => nowMs,
    );
    assert.equal(inFlight.limit(), 2);
    inFlight.partFailed(new NetworkError('ECONNRESET', 'reset'));
    assert.equal(inFlight.limit(), 2, 'a fixed number does not adapt');
    setting = 7;
    assert.equal(inFlight.limit(), 7);
    setting = 'auto';
    nowMs = 10;
    assert.equal(inFlight.limit(), 3, 'auto saw the reset');
  });

  it('memory follows the limit: at most limit + 1 part buffers, fewer as soon as it drops', async () => {
    const { BufferPool } = await import('../../electron/engine/buffer-pool.ts');
    let nowMs = 0;
    const inFlight = new PartsInFlight(
      () => 'auto',
      () => nowMs,
    );
    const pool = new BufferPool(1024, () => inFlight.limit() + 1);
    const taken = await Promise.all(Array.from({ length: 6 }, () => pool.acquire()));
    assert.equal(pool.allocated, 6, 'five in flight and one being read');
    let seventh = false;
    void pool.acquire().then(() => (seventh = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(seventh, false, 'a seventh waits');
    nowMs = 1;
    inFlight.partFailed(new NetworkError('ECONNRESET', 'reset'));
    for (const buffer of taken.slice(0, 2)) pool.release(buffer);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pool.allocated, 4, 'buffers above 3 + 1 are let go as they come back');
    assert.equal(seventh, false, 'and not handed on');
    pool.release(taken[2]!);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(seventh, true, 'at the bound, a returned buffer goes to the waiting reader');
    assert.equal(pool.allocated, 4);
  });
});
