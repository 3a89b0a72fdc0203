import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StartOrder } from '../../electron/engine/start-order.ts';

describe('start order', () => {
  it('gives items back smallest rank first, whatever order they came in', () => {
    const order = new StartOrder<string>();
    const ranks = [5, 1, 9, 3, 3, 0, 7, 2, 8, 6, 4];
    for (const rank of ranks) order.push(rank, `job-${rank}`);
    assert.equal(order.size, ranks.length);
    assert.equal(order.peek(), 'job-0');
    const taken: string[] = [];
    for (let item = order.pop(); item !== undefined; item = order.pop()) taken.push(item);
    assert.deepEqual(
      taken,
      [...ranks].sort((a, b) => a - b).map((rank) => `job-${rank}`),
    );
    assert.equal(order.size, 0);
    assert.equal(order.pop(), undefined);
  });

  it('takes an item pushed again (a job queued again) in its rank among the rest', () => {
    const order = new StartOrder<string>();
    for (let rank = 0; rank < 100; rank++) order.push(rank, `job-${rank}`);
    for (let rank = 0; rank < 50; rank++) assert.equal(order.pop(), `job-${rank}`);
    order.push(10, 'job-10');
    assert.equal(order.pop(), 'job-10');
    assert.equal(order.pop(), 'job-50');
    assert.equal(order.peek(), 'job-51');
    assert.equal(order.size, 49);
  });
});
