import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planParts, uploadMethodFor } from '../../electron/engine/part-plan.ts';

describe('part plan', () => {
  it('cuts a file into the server’s parts, the last one shorter', () => {
    assert.deepEqual(planParts(25, 10, 3), [
      { index: 0, offset: 0, sizeBytes: 10 },
      { index: 1, offset: 10, sizeBytes: 10 },
      { index: 2, offset: 20, sizeBytes: 5 },
    ]);
    assert.throws(() => planParts(25, 10, 4), /does not fit/);
    assert.equal(uploadMethodFor(19_999_999), 'direct');
    assert.equal(uploadMethodFor(20_000_000), 'session');
  });
});
