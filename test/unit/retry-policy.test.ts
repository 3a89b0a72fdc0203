import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxApiError } from '../../electron/box/box-error.ts';
import { NetworkError } from '../../electron/box/http-transport.ts';
import { SignInRequiredError } from '../../electron/box/oauth/oauth-client.ts';
import { backoffMs, decideRetry, RETRY_LIMITS } from '../../electron/engine/retry-policy.ts';

const boxError = (status: number, code: string, extra: Partial<ConstructorParameters<typeof BoxApiError>[0]> = {}) =>
  new BoxApiError({ status, code, message: code, operation: 'test', ...extra });
const part = { offset: 8, sizeBytes: 4, sha1Hex: 'abc' };

describe('retry policy', () => {
  it('backs off exponentially with full jitter, capped', () => {
    assert.equal(
      backoffMs(1, () => 0.999999),
      500,
    );
    assert.equal(
      backoffMs(3, () => 0.5),
      1000,
    );
    assert.equal(
      backoffMs(30, () => 0.999999),
      RETRY_LIMITS.maxDelayMs,
    );
    assert.equal(
      backoffMs(4, () => 0),
      0,
    );
  });

  it('retries network errors, then says to wait for the network', () => {
    const error = new NetworkError('ECONNREFUSED', 'refused');
    assert.equal(decideRetry({ error, attempt: 1, operation: 'upload-part' }).kind, 'retry');
    assert.equal(
      decideRetry({ error, attempt: RETRY_LIMITS.maxAttempts, operation: 'upload-part' }).kind,
      'wait-for-network',
    );
  });

  it('honours retry-after on 429 and 503, and marks 429 as account-wide', () => {
    const limited = decideRetry({
      error: boxError(429, 'rate_limit_exceeded', { retryAfterMs: 7000 }),
      attempt: 1,
      operation: 'upload-part',
    });
    assert.deepEqual(limited, {
      kind: 'retry',
      delayMs: 7000,
      reason: 'rate limited by Box',
      rateLimited: true,
      rereadPart: false,
    });
    const unavailable = decideRetry({
      error: boxError(503, 'unavailable', { retryAfterMs: 3000 }),
      attempt: 1,
      operation: 'commit',
      random: () => 0,
    });
    assert.equal(unavailable.kind === 'retry' && unavailable.delayMs, 3000);
    assert.equal(
      decideRetry({ error: boxError(500, 'x'), attempt: RETRY_LIMITS.maxAttempts, operation: 'commit' }).kind,
      'fail',
    );
  });

  it('takes a 416 overlap whose conflicting part matches as success, any other as failure', () => {
    const overlap = (conflicting: Record<string, unknown>) =>
      boxError(416, 'range_overlaps_existing_part', { contextInfo: { conflicting_part: conflicting } });
    const same = decideRetry({
      error: overlap({ part_id: 'P', offset: 8, size: 4, sha1: 'ABC' }),
      attempt: 1,
      operation: 'upload-part',
      part,
    });
    assert.deepEqual(same, { kind: 'part-already-stored', part: { part_id: 'P', offset: 8, size: 4, sha1: 'abc' } });
    const other = decideRetry({
      error: overlap({ part_id: 'P', offset: 8, size: 4, sha1: 'def' }),
      attempt: 1,
      operation: 'upload-part',
      part,
    });
    assert.equal(other.kind, 'fail');
    assert.equal(
      decideRetry({ error: overlap({ offset: 8 }), attempt: 1, operation: 'upload-part', part }).kind,
      'fail',
    );
  });

  it('refreshes credentials once on 401, then waits for a new token', () => {
    assert.equal(
      decideRetry({ error: boxError(401, 'unauthorized'), attempt: 1, operation: 'commit' }).kind,
      'refresh-credentials',
    );
    assert.equal(
      decideRetry({ error: boxError(401, 'unauthorized'), attempt: 2, operation: 'commit', credentialsRefreshed: true })
        .kind,
      'wait-for-token',
    );
  });

  it('waits for a sign-in when the sign-in ended, whatever the operation', () => {
    for (const operation of ['upload-part', 'commit', 'create-session'] as const) {
      assert.equal(decideRetry({ error: new SignInRequiredError(), attempt: 1, operation }).kind, 'wait-for-sign-in');
    }
  });

  it('re-reads a part once after a refused digest, and retries a transient parts_mismatch a few times', () => {
    const digest = decideRetry({
      error: boxError(412, 'precondition_failed'),
      attempt: 1,
      operation: 'upload-part',
      part,
    });
    assert.equal(digest.kind === 'retry' && digest.rereadPart, true);
    assert.equal(
      decideRetry({ error: boxError(412, 'precondition_failed'), attempt: 2, operation: 'upload-part', part }).kind,
      'fail',
    );
    assert.equal(
      decideRetry({ error: boxError(400, 'parts_mismatch'), attempt: 3, operation: 'commit' }).kind,
      'retry',
    );
    assert.equal(decideRetry({ error: boxError(400, 'parts_mismatch'), attempt: 4, operation: 'commit' }).kind, 'fail');
  });

  it('fails other client errors with the server code', () => {
    const decision = decideRetry({ error: boxError(409, 'item_name_in_use'), attempt: 1, operation: 'create-session' });
    assert.equal(decision.kind, 'fail');
    assert.match(decision.kind === 'fail' ? decision.reason : '', /409 item_name_in_use/);
    assert.equal(decideRetry({ error: new Error('boom'), attempt: 1, operation: 'commit' }).kind, 'fail');
  });
});
