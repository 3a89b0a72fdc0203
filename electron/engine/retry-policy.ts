import { BoxApiError } from '../box/box-error.ts';
import { parseConflictingPart, sameSha1, type StoredPart } from '../box/box-types.ts';
import { NetworkError } from '../box/http-transport.ts';
import { SignInRequiredError } from '../box/oauth/oauth-client.ts';

/**
 * The one place Hoist's retry rules live (DESIGN.md section 2.5). Pure: given what failed and how
 * often, it says what to do next. Callers own the sleeping, counting and side effects.
 */
export type RetryOperation =
  | 'create-session'
  | 'create-folder'
  | 'upload-part'
  | 'list-parts'
  | 'get-session'
  | 'commit'
  | 'abort'
  | 'direct-upload'
  | 'lookup';

/** What to do after a failure: retry after a delay, settle an overlap, renew credentials, wait, or fail. */
export type RetryDecision =
  | { kind: 'retry'; delayMs: number; reason: string; rateLimited: boolean; rereadPart: boolean }
  /** An overlap whose conflicting part is ours: the first PUT landed and its answer was lost. */
  | { kind: 'part-already-stored'; part: StoredPart }
  /**
   * An overlap without a conflicting part that says whether it is ours, or any other 409 on a
   * part: list the parts (offset = part index, limit 1, as box-ui-elements does) to learn whether
   * this part is stored and equal; when it is not there, it is sent again.
   */
  | { kind: 'check-stored-part' }
  | { kind: 'refresh-credentials' }
  | { kind: 'wait-for-network'; reason: string }
  | { kind: 'wait-for-token' }
  /** The sign-in ended (invalid_grant): the job waits for a person to sign in again. */
  | { kind: 'wait-for-sign-in' }
  | { kind: 'fail'; reason: string };

/** A failure and its circumstances, for decideRetry. */
export interface RetryInput {
  error: unknown;
  /** Failures of this operation so far, including this one (1 on the first failure). */
  attempt: number;
  operation: RetryOperation;
  /** For part uploads: the part that was sent, to recognise it in an overlap. */
  part?: { offset: number; sizeBytes: number; sha1Hex: string };
  /** Whether credentials were already refreshed after a 401 for this very request. */
  credentialsRefreshed?: boolean;
  /** A uniform random number in [0, 1), injectable for tests. */
  random?: () => number;
}

/** How often and how long Hoist retries before it waits for the network or fails. */
export const RETRY_LIMITS = {
  /** Attempts for network errors and 5xx before giving up (or waiting for the network). */
  maxAttempts: 6,
  /** 429 answers come with retry-after and are expected under load: allow more. */
  maxRateLimitedAttempts: 20,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
} as const;

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_LIMITS.maxDelayMs, RETRY_LIMITS.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

function retry(
  delayMs: number,
  reason: string,
  extra: { rateLimited?: boolean; rereadPart?: boolean } = {},
): RetryDecision {
  return {
    kind: 'retry',
    delayMs,
    reason,
    rateLimited: extra.rateLimited ?? false,
    rereadPart: extra.rereadPart ?? false,
  };
}

/** 409 codes Box documents as temporary (box-api.md section 2). */
const TRANSIENT_CONFLICTS = new Set(['name_temporarily_reserved', 'operation_blocked_temporary']);

/** The next step after a failed request, from its error, the attempt and the operation (DESIGN.md section 2.5). */
export function decideRetry(input: RetryInput): RetryDecision {
  const { error, attempt, operation } = input;
  const random = input.random ?? Math.random;

  if (error instanceof SignInRequiredError) return { kind: 'wait-for-sign-in' };
  if (error instanceof NetworkError) {
    if (attempt < RETRY_LIMITS.maxAttempts) return retry(backoffMs(attempt, random), error.message);
    return { kind: 'wait-for-network', reason: error.message };
  }
  if (!(error instanceof BoxApiError)) return { kind: 'fail', reason: (error as Error)?.message ?? String(error) };

  const { status, code } = error;
  if (status === 401) return input.credentialsRefreshed ? { kind: 'wait-for-token' } : { kind: 'refresh-credentials' };
  if (status === 429) {
    if (attempt >= RETRY_LIMITS.maxRateLimitedAttempts)
      return { kind: 'fail', reason: 'Box kept limiting the request rate' };
    return retry(error.retryAfterMs ?? backoffMs(attempt, random), 'rate limited by Box', { rateLimited: true });
  }
  if (status >= 500) {
    if (attempt >= RETRY_LIMITS.maxAttempts) return { kind: 'fail', reason: `Box kept failing (${status} ${code})` };
    return retry(Math.max(error.retryAfterMs ?? 0, backoffMs(attempt, random)), `${status} ${code}`);
  }
  // An overlap: the part's range already holds data, most often this very part, whose first PUT
  // landed and whose answer was lost. Box's upload-part guide names the code but no status (its
  // Android app sees 416); Box's spec answers 409 when "the chunk conflicts with another chunk
  // previously uploaded", code unknown (box-api.md section 4). So the code counts whatever the
  // status, and any 409 on a part is checked against what Box holds instead of sent blindly again.
  if (operation === 'upload-part' && input.part && (code === 'range_overlaps_existing_part' || status === 409)) {
    const stored = parseConflictingPart(error.contextInfo);
    const { offset, sizeBytes, sha1Hex } = input.part;
    if (!stored || stored.offsetBytes !== offset || stored.sha1Hex === '') {
      // The check itself can meet a 409 (a lock, a proxy) and come back here: bounded like any retry.
      if (attempt > RETRY_LIMITS.maxAttempts) return { kind: 'fail', reason: `${status} ${code}: ${error.message}` };
      return { kind: 'check-stored-part' };
    }
    if (stored.sizeBytes === sizeBytes && sameSha1(stored.sha1Hex, sha1Hex))
      return { kind: 'part-already-stored', part: stored };
    return { kind: 'fail', reason: 'Box already holds different bytes for this part of the file' };
  }
  // A digest Box did not accept (412, or a 400 naming the digest): read the bytes from disk again
  // and retry once (box-api.md section 4).
  if (operation === 'upload-part' && (status === 412 || (status === 400 && /digest/.test(code))) && attempt === 1) {
    return retry(0, 'Box did not accept the part digest', { rereadPart: true });
  }
  // Box's 409s that pass: a name held by a concurrent create, a folder locked by a move or copy.
  if (status === 409 && TRANSIENT_CONFLICTS.has(code) && attempt < RETRY_LIMITS.maxAttempts) {
    return retry(Math.max(error.retryAfterMs ?? 0, backoffMs(attempt, random)), `${code}: Box asked to try again`);
  }
  return { kind: 'fail', reason: `${status} ${code}: ${error.message}` };
}

/**
 * How long recoveries that wait on Box may take. Defaults are Box-sized; tests pass short ones
 * through the queue's options.
 */
export interface RecoveryBudgets {
  /**
   * Commit keeps meeting parts_mismatch after the last part: rclone saw it on real uploads and
   * waits up to 100 x 10 s. Hoist re-lists the parts each round and waits this long in all.
   */
  partsMismatchBudgetMs: number;
  partsMismatchFirstDelayMs: number;
  partsMismatchMaxDelayMs: number;
}

/** Box-sized budgets: parts_mismatch is waited out for up to 15 minutes. */
export const DEFAULT_RECOVERY_BUDGETS: Readonly<RecoveryBudgets> = {
  partsMismatchBudgetMs: 15 * 60_000,
  partsMismatchFirstDelayMs: 1000,
  partsMismatchMaxDelayMs: 10_000,
};

/** After a parts_mismatch: wait this long and commit again, or give up. */
export type PartsMismatchDecision = { kind: 'wait'; delayMs: number } | { kind: 'give-up'; reason: string };

/**
 * After the `round`-th parts_mismatch at commit, `elapsedMs` after the first: wait (doubling from
 * the first delay to the cap, or Box's retry-after when longer) while the budget lasts.
 */
export function decidePartsMismatch(input: {
  round: number;
  elapsedMs: number;
  retryAfterMs?: number | undefined;
  budgets: RecoveryBudgets;
}): PartsMismatchDecision {
  const { budgets } = input;
  const delayMs = Math.max(
    input.retryAfterMs ?? 0,
    Math.min(budgets.partsMismatchMaxDelayMs, budgets.partsMismatchFirstDelayMs * 2 ** Math.max(0, input.round - 1)),
  );
  if (input.elapsedMs + delayMs > budgets.partsMismatchBudgetMs) {
    const minutes = Math.max(1, Math.round(input.elapsedMs / 60_000));
    return {
      kind: 'give-up',
      reason: `Box still reported the parts as not matching after ${input.round} tries over ${input.elapsedMs < 60_000 ? `${Math.round(input.elapsedMs / 1000)} s` : `${minutes} min`}, though it holds every part`,
    };
  }
  return { kind: 'wait', delayMs };
}

/**
 * A commit that may already have landed (its answer was lost, or an earlier run sent it) got
 * this answer: look on Box for the result before anything else. Any 4xx qualifies, since Box
 * documents none for a replayed commit (box-api.md section 8); a 401 or 429 says nothing about it.
 */
export function commitAnswerNeedsLookup(error: unknown, mayHaveLanded: boolean): boolean {
  return (
    mayHaveLanded &&
    error instanceof BoxApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 401 &&
    error.status !== 429
  );
}

/** A commit attempt whose outcome is unknown: no answer, or a 5xx (a write may still have happened). */
export function commitOutcomeUnknown(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof BoxApiError && error.status >= 500);
}
