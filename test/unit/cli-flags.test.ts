import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { limitRateFlag, transferFlags } from '../../electron/cli/transfer-flags.ts';
import { UsageError } from '../../electron/cli/usage-error.ts';

describe('transfer flags', () => {
  it('reads --limit-rate as bytes per second with decimal k, M and G', () => {
    assert.equal(limitRateFlag(undefined), undefined);
    assert.equal(limitRateFlag('2000000'), 2_000_000);
    assert.equal(limitRateFlag('500k'), 500_000);
    assert.equal(limitRateFlag('5M'), 5_000_000);
    assert.equal(limitRateFlag('1.5MB/s'), 1_500_000);
    assert.equal(limitRateFlag('2g'), 2_000_000_000);
  });

  it('refuses a speed it cannot use, saying what it takes', () => {
    for (const bad of ['', 'fast', '-5M', '5 Mbit', '9999', '0', '11G', '1e6'])
      assert.throws(
        () => limitRateFlag(bad),
        (error: Error) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, /--limit-rate must be a speed from 10 kB\/s to 10 GB\/s, such as 500k or 5M/);
          return true;
        },
      );
  });

  it('defaults to 4 parts in parallel and no limit', () => {
    assert.deepEqual(transferFlags({}), { parallel: 4, uploadLimitBytesPerSec: undefined });
    assert.throws(() => transferFlags({ parallel: '9' }), /--parallel/);
  });
});
