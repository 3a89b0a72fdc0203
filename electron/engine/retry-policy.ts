import { BoxApiError } from '../box/box-error.ts';
import type { UploadedPart } from '../box/box-types.ts';
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

export type RetryDecision =
  | { kind: 'retry'; delayMs: number; reason: string; rateLimited: boolean; rereadPart: boolean }
  /** 416 overlap whose conflicting part is ours: the first PUT landed and its answer was lost. */
  | { kind: 'part-already-stored'; part: UploadedPart }
  | { kind: 'refresh-credentials' }
  | { kind: 'wait-for-network'; reason: string }
  | { kind: 'wait-for-token' }
  /** The sign-in ended (invalid_grant): the job waits for a person to sign in again. */
  | { kind: 'wait-for-sign-in' }
  | { kind: 'fail'; reason: string };

export interface RetryInput {
  error: unknown;
  /** Failures of this operation so far, including this one (1 on the first failure). */
  attempt: number;
  operation: RetryOperation;
  /** For part uploads: the part that was sent, to recognise it in a 416 conflict. */
  part?: { offset: number; sizeBytes: number; sha1Hex: string };
  /** Whether credentials were already refreshed after a 401 for this very request. */
  credentialsRefreshed?: boolean;
  /** A uniform random number in [0, 1), injectable for tests. */
  random?: () => number;
}

export const RETRY_LIMITS = {
  /** Attempts for network errors and 5xx before giving up (or waiting for the network). */
  maxAttempts: 6,
  /** 429 answers come with retry-after and are expected under load: allow more. */
  maxRateLimitedAttempts: 20,
  /** Commit's transient parts_mismatch: retried this many times before parts are re-listed. */
  maxPartsMismatchAttempts: 3,
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

function conflictingPart(error: BoxApiError): UploadedPart | undefined {
  const part = error.contextInfo?.['conflicting_part'] as Record<string, unknown> | undefined;
  if (
    !part ||
    typeof part['part_id'] !== 'string' ||
    typeof part['offset'] !== 'number' ||
    typeof part['size'] !== 'number'
  ) {
    return undefined;
  }
  return {
    part_id: part['part_id'],
    offset: part['offset'],
    size: part['size'],
    sha1: String(part['sha1'] ?? '').toLowerCase(),
  };
}

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
  if (operation === 'upload-part' && status === 416 && code === 'range_overlaps_existing_part' && input.part) {
    const stored = conflictingPart(error);
    const { offset, sizeBytes, sha1Hex } = input.part;
    if (
      stored &&
      stored.offset === offset &&
      stored.size === sizeBytes &&
      (stored.sha1 === '' || stored.sha1 === sha1Hex)
    ) {
      return { kind: 'part-already-stored', part: { ...stored, sha1: stored.sha1 || sha1Hex } };
    }
    return { kind: 'fail', reason: 'Box already holds different bytes for this part of the file' };
  }
  // A digest Box did not accept: read the bytes from disk again and retry once (box-api.md section 4).
  if (operation === 'upload-part' && status === 412 && attempt === 1) {
    return retry(0, 'Box did not accept the part digest', { rereadPart: true });
  }
  // localbox answers 409 while another PUT of the same range is still arriving.
  if (operation === 'upload-part' && status === 409 && attempt < RETRY_LIMITS.maxAttempts) {
    return retry(backoffMs(attempt, random), 'the same part is still being received');
  }
  if (operation === 'commit' && code === 'parts_mismatch' && attempt <= RETRY_LIMITS.maxPartsMismatchAttempts) {
    return retry(error.retryAfterMs ?? 1000 * attempt, 'Box is still settling the parts');
  }
  return { kind: 'fail', reason: `${status} ${code}: ${error.message}` };
}
