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

  it('defaults to "auto" parts in parallel and no limit; --parallel takes auto or 1 to 8', () => {
    assert.deepEqual(transferFlags({}), { parallel: 'auto', uploadLimitBytesPerSec: undefined });
    assert.equal(transferFlags({ parallel: 'auto' }).parallel, 'auto');
    assert.equal(transferFlags({ parallel: '1' }).parallel, 1);
    assert.equal(transferFlags({ parallel: '8' }).parallel, 8);
    for (const bad of ['9', '0', '2.5', 'Auto', '', '-1'])
      assert.throws(
        () => transferFlags({ parallel: bad }),
        new UsageError(`--parallel must be auto or a whole number from 1 to 8, not "${bad}"`),
      );
  });
});
