import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxApiError } from '../../electron/box/box-error.ts';
import { directAfterSessionRefused, planParts, uploadMethodFor } from '../../electron/engine/part-plan.ts';

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

  it('sends a file directly when Box refuses it a session as too small, up to the direct-upload limit (50 MB)', () => {
    const tooSmall = new BoxApiError({ status: 400, code: 'file_size_too_small', message: 'x', operation: 'test' });
    assert.equal(directAfterSessionRefused(tooSmall, 20_000_000), true);
    assert.equal(directAfterSessionRefused(tooSmall, 50_000_000), true);
    assert.equal(directAfterSessionRefused(tooSmall, 50_000_001), false);
    const other = new BoxApiError({ status: 400, code: 'invalid_file_size', message: 'x', operation: 'test' });
    assert.equal(directAfterSessionRefused(other, 20_000_000), false);
    assert.equal(directAfterSessionRefused(new Error('file_size_too_small'), 20_000_000), false);
  });
});
