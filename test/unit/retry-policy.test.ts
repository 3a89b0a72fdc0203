import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxApiError } from '../../electron/box/box-error.ts';
import { NetworkError } from '../../electron/box/http-transport.ts';
import { SignInRequiredError } from '../../electron/box/oauth/oauth-client.ts';
import {
  backoffMs,
  commitAnswerNeedsLookup,
  decidePartsMismatch,
  decideRetry,
  RETRY_LIMITS,
} from '../../electron/engine/retry-policy.ts';

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

  it('takes a 416 overlap whose conflicting part matches as success, a different one as failure, and checks the list without one', () => {
    const overlap = (conflicting: Record<string, unknown>) =>
      boxError(416, 'range_overlaps_existing_part', { contextInfo: { conflicting_part: conflicting } });
    const same = decideRetry({
      error: overlap({ part_id: 'P', offset: 8, size: 4, sha1: 'ABC' }),
      attempt: 1,
      operation: 'upload-part',
      part,
    });
    assert.deepEqual(same, {
      kind: 'part-already-stored',
      part: { partId: 'P', offsetBytes: 8, sizeBytes: 4, sha1Hex: 'abc' },
    });
    const other = decideRetry({
      error: overlap({ part_id: 'P', offset: 8, size: 4, sha1: 'def' }),
      attempt: 1,
      operation: 'upload-part',
      part,
    });
    assert.equal(other.kind, 'fail');
    // No usable conflicting_part (Box documents none): list the parts to find out (box-ui-elements).
    for (const unusable of [
      { offset: 8 },
      { part_id: 'P', offset: 8, size: 4 },
      { part_id: 'P', offset: 0, size: 4, sha1: 'abc' },
    ]) {
      assert.equal(
        decideRetry({ error: overlap(unusable), attempt: 1, operation: 'upload-part', part }).kind,
        'check-stored-part',
      );
    }
    assert.equal(
      decideRetry({ error: boxError(416, 'range_overlaps_existing_part'), attempt: 1, operation: 'upload-part', part })
        .kind,
      'check-stored-part',
    );
  });

  it('takes range_overlaps_existing_part whatever its status, and checks the stored part on any 409 (Box’s spec)', () => {
    // Box's guide names the code without a status; its spec answers 409 to "a chunk that
    // conflicts with another chunk previously uploaded", code unknown (box-api.md section 4).
    const overlap = (status: number, conflicting?: Record<string, unknown>) =>
      boxError(
        status,
        'range_overlaps_existing_part',
        conflicting ? { contextInfo: { conflicting_part: conflicting } } : {},
      );
    const ours = { part_id: 'P', offset: 8, size: 4, sha1: 'ABC' };
    for (const status of [409, 400]) {
      assert.equal(
        decideRetry({ error: overlap(status, ours), attempt: 1, operation: 'upload-part', part }).kind,
        'part-already-stored',
      );
      assert.equal(
        decideRetry({ error: overlap(status), attempt: 1, operation: 'upload-part', part }).kind,
        'check-stored-part',
      );
    }
    // Any other 409 on a part is checked, never sent again blindly, at every attempt.
    for (const attempt of [1, RETRY_LIMITS.maxAttempts]) {
      for (const code of ['conflict', 'chunk_conflict', '']) {
        assert.equal(
          decideRetry({ error: boxError(409, code), attempt, operation: 'upload-part', part }).kind,
          'check-stored-part',
        );
      }
    }
    // The check itself may meet a 409 and come back here, one attempt later each time: it ends.
    assert.equal(
      decideRetry({
        error: boxError(409, 'conflict'),
        attempt: RETRY_LIMITS.maxAttempts + 1,
        operation: 'upload-part',
        part,
      }).kind,
      'fail',
    );
    assert.equal(
      decideRetry({
        error: boxError(409, 'conflict', { contextInfo: { conflicting_part: ours } }),
        attempt: 1,
        operation: 'upload-part',
        part,
      }).kind,
      'part-already-stored',
    );
    assert.equal(
      decideRetry({ error: overlap(409, { ...ours, sha1: 'def' }), attempt: 1, operation: 'upload-part', part }).kind,
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

  it('re-reads a part once after a refused digest (412 or 400), and leaves parts_mismatch to the commit budget', () => {
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
    const bad400 = decideRetry({ error: boxError(400, 'bad_digest'), attempt: 1, operation: 'upload-part', part });
    assert.equal(bad400.kind === 'retry' && bad400.rereadPart, true);
    assert.equal(decideRetry({ error: boxError(400, 'parts_mismatch'), attempt: 1, operation: 'commit' }).kind, 'fail');
  });

  it('waits out parts_mismatch with doubling delays within the budget, then gives up with a sentence', () => {
    const budgets = { partsMismatchBudgetMs: 60_000, partsMismatchFirstDelayMs: 1000, partsMismatchMaxDelayMs: 10_000 };
    const delays = [1, 2, 3, 4, 5, 6].map((round) => decidePartsMismatch({ round, elapsedMs: 0, budgets }));
    assert.deepEqual(
      delays.map((each) => (each.kind === 'wait' ? each.delayMs : -1)),
      [1000, 2000, 4000, 8000, 10_000, 10_000],
    );
    const late = decidePartsMismatch({ round: 9, elapsedMs: 55_000, budgets });
    assert.equal(late.kind, 'give-up');
    assert.match(late.kind === 'give-up' ? late.reason : '', /after 9 tries over 55 s, though it holds every part/);
    const told = decidePartsMismatch({ round: 1, elapsedMs: 0, retryAfterMs: 5000, budgets });
    assert.deepEqual(told, { kind: 'wait', delayMs: 5000 });
  });

  it('retries the 409s Box documents as temporary', () => {
    for (const code of ['name_temporarily_reserved', 'operation_blocked_temporary']) {
      assert.equal(decideRetry({ error: boxError(409, code), attempt: 1, operation: 'create-session' }).kind, 'retry');
      assert.equal(
        decideRetry({ error: boxError(409, code), attempt: RETRY_LIMITS.maxAttempts, operation: 'create-session' })
          .kind,
        'fail',
      );
    }
  });

  it('looks a refused commit up on Box only when it may have landed', () => {
    assert.equal(commitAnswerNeedsLookup(boxError(404, 'not_found'), true), true);
    assert.equal(commitAnswerNeedsLookup(boxError(400, 'bad_request'), true), true);
    assert.equal(commitAnswerNeedsLookup(boxError(404, 'not_found'), false), false);
    assert.equal(commitAnswerNeedsLookup(boxError(429, 'rate_limit_exceeded'), true), false);
    assert.equal(commitAnswerNeedsLookup(boxError(503, 'unavailable'), true), false);
  });

  it('fails other client errors with the server code', () => {
    const decision = decideRetry({ error: boxError(409, 'item_name_in_use'), attempt: 1, operation: 'create-session' });
    assert.equal(decision.kind, 'fail');
    assert.match(decision.kind === 'fail' ? decision.reason : '', /409 item_name_in_use/);
    assert.equal(decideRetry({ error: new Error('boom'), attempt: 1, operation: 'commit' }).kind, 'fail');
  });
});
