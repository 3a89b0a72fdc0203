import { BoxApiError } from '../box/box-error.ts';
import type { BoxFile, UploadedPart, UploadSession } from '../box/box-types.ts';
import { sleep } from './concurrency.ts';
import { PartsMissing } from './job-stops.ts';
import { listAllParts } from './session-parts.ts';
import { withRetries, type RetryContext } from './with-retries.ts';

export interface CommitInput {
  session: UploadSession;
  /** Confirmed parts by index. */
  parts: ReadonlyMap<number, UploadedPart>;
  sha1Base64: string;
  sha1Hex: string;
  fileName: string;
  /** Where the file is going, to recognise a commit that landed when its answer was lost. */
  folderId: string | undefined;
  attributes?: Record<string, string>;
  /** Waits between 202 answers; a person may pause meanwhile. */
  onAccepted?: (retryAfterMs: number) => void;
}

/** Box: 202 means "not processed yet, send the same commit again after retry-after". */
const DEFAULT_ACCEPTED_WAIT_MS = 1000;
const MAX_ACCEPTED_ANSWERS = 500;

/**
 * Commits a session whose parts are all confirmed. Loops on 202 + retry-after; retries a
 * transient parts_mismatch, then re-lists the parts from the server and commits with its list;
 * raises PartsMissing when the server lacks parts, so the job uploads them first.
 */
export async function commitUpload(input: CommitInput, context: RetryContext): Promise<BoxFile> {
  let parts = [...input.parts.entries()].sort(([a], [b]) => a - b).map(([, part]) => part);
  let relisted = false;
  let accepted = 0;
  let answerLost = false;
  for (;;) {
    try {
      const outcome = await withRetries('commit', context, async () => {
        try {
          return await context.client.commitUploadSession({
            url: input.session.session_endpoints.commit,
            parts,
            sha1Base64: input.sha1Base64,
            ...(input.attributes ? { attributes: input.attributes } : {}),
            signal: context.signal,
          });
        } catch (error) {
          if (!(error instanceof BoxApiError)) answerLost = true;
          throw error;
        }
      });
      if (outcome.kind === 'committed') return outcome.file;
      accepted += 1;
      if (accepted > MAX_ACCEPTED_ANSWERS)
        throw new Error(`Box answered "not ready yet" ${accepted} times; try again later`);
      const waitMs = outcome.retryAfterMs ?? DEFAULT_ACCEPTED_WAIT_MS;
      input.onAccepted?.(waitMs);
      await sleep(waitMs, context.signal);
    } catch (error) {
      if (!(error instanceof BoxApiError)) throw error;
      if (error.code === 'parts_mismatch' && !relisted) {
        // Retried a few times inside withRetries already: ask the server what it holds.
        relisted = true;
        const stored = await withRetries('list-parts', context, () =>
          listAllParts(context.client, input.session, context.signal),
        );
        const missing = missingIndexes(stored, input.session);
        if (missing.length > 0) throw new PartsMissing(missing);
        parts = stored;
        continue;
      }
      if (error.status === 404 && answerLost) {
        const landed = await findCommittedFile(input, context);
        if (landed) return landed;
      }
      throw error;
    }
  }
}

function missingIndexes(stored: readonly UploadedPart[], session: UploadSession): number[] {
  const have = new Set(stored.map((part) => Math.floor(part.offset / session.part_size)));
  return Array.from({ length: session.total_parts }, (_, index) => index).filter((index) => !have.has(index));
}

/** After a lost commit answer the session may be gone because the commit worked: look for the file. */
async function findCommittedFile(input: CommitInput, context: RetryContext): Promise<BoxFile | undefined> {
  if (input.folderId === undefined) return undefined;
  const wanted = input.fileName.toLowerCase();
  for (let offset = 0; ; offset += 1000) {
    const page = await withRetries('lookup', context, () =>
      context.client.listFolderItems(input.folderId!, { offset, limit: 1000 }, context.signal),
    );
    const match = page.entries.find((item) => item.type === 'file' && item.name.toLowerCase() === wanted);
    if (match) return match.sha1 === input.sha1Hex ? context.client.getFile(match.id, context.signal) : undefined;
    if (page.entries.length === 0 || offset + page.entries.length >= page.total_count) return undefined;
  }
}
