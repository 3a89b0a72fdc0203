import { BoxApiError } from '../box/box-error.ts';
import type { BoxFile, StoredPart, UploadSession } from '../box/box-types.ts';
import { sleep } from './concurrency.ts';
import { boxDetail } from './job-errors.ts';
import type { Destination } from './job-record.ts';
import { CommitNotLanded, PartsMissing, PartsNeverSettled } from './job-stops.ts';
import { checkLanded } from './landed-check.ts';
import {
  commitAnswerNeedsLookup,
  commitOutcomeUnknown,
  decidePartsMismatch,
  DEFAULT_RECOVERY_BUDGETS,
} from './retry-policy.ts';
import { sessionGone } from './session-ensure.ts';
import { listAllParts } from './session-parts.ts';
import { withRetries, type RetryContext } from './with-retries.ts';

/** What a commit needs: the session, its confirmed parts and the whole file's SHA-1, and how to recognise it landed. */
export interface CommitInput {
  session: UploadSession;
  /** Confirmed parts by index. */
  parts: ReadonlyMap<number, StoredPart>;
  sha1Base64: string;
  sha1Hex: string;
  sizeBytes: number;
  fileName: string;
  /** Where the file is going, to recognise a commit that landed when its answer was lost. */
  destination: Destination;
  /** An earlier run may have sent this commit already (a resumed job). */
  mayHaveLanded: boolean;
  /**
   * When parts_mismatch was first met, kept by the caller across re-sends of missing parts so the
   * budget is one for the whole commit.
   */
  mismatch: { sinceMs?: number; rounds: number };
  attributes?: Record<string, string>;
}

/** Box: 202 means "not processed yet, send the same commit again after retry-after". */
const DEFAULT_ACCEPTED_WAIT_MS = 1000;
const MAX_ACCEPTED_ANSWERS = 500;

/**
 * Commits a session whose parts are all confirmed. Loops on 202 + retry-after. On parts_mismatch
 * it re-lists the parts each round, within a time budget: parts the server lacks raise
 * PartsMissing so the job sends them; otherwise it waits and commits with the server's list. A
 * commit that may have landed (its answer was lost or was a 202, or an earlier run sent it) and
 * is then refused is looked up on Box before anything else.
 */
export async function commitUpload(input: CommitInput, context: RetryContext): Promise<BoxFile> {
  const budgets = context.budgets ?? DEFAULT_RECOVERY_BUDGETS;
  let parts = [...input.parts.entries()].sort(([a], [b]) => a - b).map(([, part]) => part);
  let accepted = 0;
  let mayHaveLanded = input.mayHaveLanded;
  for (;;) {
    try {
      const outcome = await withRetries('commit', context, async () => {
        try {
          return await context.client.commitUploadSession({
            url: input.session.endpoints.commit,
            parts,
            sha1Base64: input.sha1Base64,
            ...(input.attributes ? { attributes: input.attributes } : {}),
            signal: context.signal,
          });
        } catch (error) {
          if (commitOutcomeUnknown(error)) mayHaveLanded = true;
          throw error;
        }
      });
      if (outcome.kind === 'committed') return outcome.file;
      // Box's spec says only that the parts are not processed yet; whether Box then finishes the
      // commit on its own is undocumented. If it does, the same commit sent again is refused
      // (404, 410, 400 or 409), and only a look on Box tells that refusal from a real one.
      mayHaveLanded = true;
      accepted += 1;
      if (accepted > MAX_ACCEPTED_ANSWERS)
        throw new Error(`Box answered "not ready yet" ${accepted} times; try again later`);
      const waitMs = outcome.retryAfterMs ?? DEFAULT_ACCEPTED_WAIT_MS;
      await sleep(waitMs, context.signal);
    } catch (error) {
      if (!(error instanceof BoxApiError)) throw error;
      if (commitAnswerNeedsLookup(error, mayHaveLanded)) {
        const found = await checkLanded(
          {
            destination: input.destination,
            fileName: input.fileName,
            sha1Hex: input.sha1Hex,
            sizeBytes: input.sizeBytes,
          },
          context,
        );
        if (found.kind === 'landed') return found.file;
        // A session that is gone and nothing landed: the job starts a fresh session.
        // A name taken by someone else goes to the job's name-conflict policy instead.
        const otherAnswer = sessionGone(error) || ['parts_mismatch', 'item_name_in_use'].includes(error.code);
        if (found.kind === 'different' && !otherAnswer) {
          throw new CommitNotLanded(found.description, boxDetail(error));
        }
        mayHaveLanded = false;
      }
      if (error.code !== 'parts_mismatch') throw error;
      parts = await afterPartsMismatch(input, context, error, budgets);
    }
  }
}

/** One round of parts_mismatch: give up past the budget, re-send what the server lacks, or wait. */
async function afterPartsMismatch(
  input: CommitInput,
  context: RetryContext,
  error: BoxApiError,
  budgets: NonNullable<RetryContext['budgets']>,
): Promise<StoredPart[]> {
  const { mismatch } = input;
  mismatch.sinceMs ??= Date.now();
  mismatch.rounds += 1;
  const decision = decidePartsMismatch({
    round: mismatch.rounds,
    elapsedMs: Date.now() - mismatch.sinceMs,
    retryAfterMs: error.retryAfterMs,
    budgets,
  });
  if (decision.kind === 'give-up') throw new PartsNeverSettled(decision.reason, boxDetail(error));
  const stored = await withRetries('list-parts', context, () =>
    listAllParts(context.client, input.session, context.signal),
  );
  const missing = missingIndexes(stored, input.session);
  if (missing.length > 0) throw new PartsMissing(missing);
  await sleep(decision.delayMs, context.signal);
  return stored;
}

function missingIndexes(stored: readonly StoredPart[], session: UploadSession): number[] {
  const have = new Set(stored.map((part) => Math.floor(part.offsetBytes / session.partSizeBytes)));
  return Array.from({ length: session.totalParts }, (_, index) => index).filter((index) => !have.has(index));
}
