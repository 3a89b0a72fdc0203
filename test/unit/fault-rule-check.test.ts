import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFaultRule } from '../../electron/localbox/faults.ts';

describe("checkFaultRule: the accepted fault's commits option and no-context-info", () => {
  it('accepts accepted with or without commits, and no-context-info', () => {
    assert.equal(checkFaultRule({ on: 'commit', action: { kind: 'accepted', retryAfterSeconds: 1 } }), undefined);
    assert.equal(
      checkFaultRule({ on: 'commit', action: { kind: 'accepted', retryAfterSeconds: 1, commits: true } }),
      undefined,
    );
    assert.equal(checkFaultRule({ on: 'create-session', action: { kind: 'no-context-info' }, times: 5 }), undefined);
  });

  it('refuses a commits option that is not true or false', () => {
    assert.equal(
      checkFaultRule({ on: 'commit', action: { kind: 'accepted', retryAfterSeconds: 1, commits: 'yes' } }),
      '"action.commits" must be true or false',
    );
  });
});
