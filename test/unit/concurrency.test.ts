import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateGate, Slots } from '../../electron/engine/concurrency.ts';

describe('scheduling', () => {
  it('serves slots first come, first served', async () => {
    const slots = new Slots(1);
    const order: string[] = [];
    const first = await slots.acquire();
    const waiting = ['a', 'b'].map((name) => slots.acquire().then((release) => (order.push(name), release)));
    first();
    (await waiting[0]!)();
    (await waiting[1]!)();
    assert.deepEqual(order, ['a', 'b']);
    assert.equal(slots.inUse, 0);
  });

  it('a waiter that gives up does not take a slot', async () => {
    const slots = new Slots(1);
    const held = await slots.acquire();
    const controller = new AbortController();
    const gaveUp = slots.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(gaveUp, /stop/);
    held();
    const again = await slots.acquire();
    assert.equal(slots.inUse, 1);
    again();
  });

  it('the rate gate holds everyone until retry-after has passed', async () => {
    let nowMs = 1000;
    const gate = new RateGate(() => nowMs);
    gate.pauseFor(5000);
    gate.pauseFor(1000);
    assert.equal(gate.pausedUntilMs, 6000);
    nowMs = 6000;
    await gate.wait();
  });
});
