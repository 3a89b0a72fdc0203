import { BoxApiError } from '../box/box-error.ts';
import { sameSha1, type BoxFile } from '../box/box-types.ts';
import { compareSnapshot, snapshotOf } from './file-snapshot.ts';
import type { JobRuntime } from './job-runtime.ts';
import { findByName } from './landed-check.ts';
import {
  isNameTaken,
  MAX_KEEP_BOTH_ATTEMPTS,
  nameConflictOf,
  nextKeepBothName,
  sha1OfFile,
  type NameConflict,
} from './name-conflict.ts';
import { withRetries } from './with-retries.ts';

/** What an upload left on Box: the file as Box describes it and the SHA-1 Hoist computed of what it sent. */
export interface UploadResult {
  file: BoxFile;
  sha1Hex: string;
}

/** What the job lends the conflict policy. */
export interface ConflictHost {
  /** Aborts the job's session on the server (best effort) and forgets what was sent for it. */
  dropSession(): Promise<void>;
  /** The job's name or destination changed: tell whoever shows it. */
  changed(): void;
}

/**
 * Runs `upload`; a name taken in the destination folder is resolved as the job's policy says
 * (shared/job-model.ts NameConflictPolicy): the same content already there finishes the job;
 * 'replace' turns it into a new version of that file; 'keep-both' numbers the name; 'ask'
 * lets the error through, for the person to choose. The item holding the name is the one Box's
 * 409 names, or else the one found by name in the folder.
 */
export async function uploadResolvingConflicts(
  runtime: JobRuntime,
  host: ConflictHost,
  upload: () => Promise<UploadResult>,
): Promise<UploadResult> {
  const { record } = runtime;
  for (let renames = 0, vanished = 0; ;) {
    try {
      return await upload();
    } catch (error) {
      // The code alone says the name is taken: Box does not always name the item holding it.
      if (!isNameTaken(error)) throw error;
      const policy = record.onNameConflict ?? 'ask';
      let change: () => void;
      if (policy === 'keep-both') {
        if (renames >= MAX_KEEP_BOTH_ATTEMPTS) throw error;
        renames += 1;
        change = () => record.rename(nextKeepBothName(record.fileName));
      } else {
        const conflict = nameConflictOf(error) ?? (await conflictByName(runtime, error));
        if (!conflict) {
          // Nothing holds the name any more (deleted since Box answered): upload again, a few times.
          if (record.destination.kind !== 'folder' || ++vanished > MAX_VANISHED_CONFLICTS) throw error;
          continue;
        }
        const identical = await identicalOnBox(runtime, host, conflict);
        if (identical) return identical;
        if (policy === 'replace' && conflict.type === 'file' && record.destination.kind === 'folder') {
          change = () => record.replaceExisting(conflict.id);
        } else {
          throw namingConflict(error, conflict);
        }
      }
      // Taken at commit (someone else uploaded the name meanwhile): that session cannot be
      // committed under the new name or as a version, so the upload starts a new one.
      if (record.session) {
        await host.dropSession();
        runtime.resetProgress();
      }
      change(); // the record tells the journal
      host.changed();
    }
  }
}

/** A 409 naming no item whose name is then found free again is uploaded again at most this often. */
const MAX_VANISHED_CONFLICTS = 3;

/**
 * The item holding the job's name in its destination folder, looked up by name: Box's spec types
 * the commit 409 as a plain ClientError, so `context_info.conflicts` may be missing.
 */
async function conflictByName(runtime: JobRuntime, error: BoxApiError): Promise<NameConflict | undefined> {
  const { record, retry } = runtime;
  if (record.destination.kind !== 'folder') return undefined;
  const item = await findByName(record.destination.folderId, record.fileName, retry);
  if (!item) return undefined;
  if (item.type === 'web_link') throw error; // a bookmark holds the name: neither replaced nor identical
  return item.type === 'file' && item.sha1
    ? { type: 'file', id: item.id, sha1: item.sha1 }
    : { type: item.type, id: item.id };
}

/**
 * The 409 as it goes to the person, naming the item Hoist found when Box named none, so that the
 * job's error says whether a file or a folder holds the name (job-errors.ts).
 */
function namingConflict(error: BoxApiError, conflict: NameConflict): BoxApiError {
  if (error.contextInfo?.['conflicts'] !== undefined) return error;
  return new BoxApiError({
    status: error.status,
    code: error.code,
    message: error.message,
    requestId: error.requestId,
    retryAfterMs: error.retryAfterMs,
    contextInfo: { ...error.contextInfo, conflicts: { type: conflict.type, id: conflict.id } },
    operation: error.operation,
  });
}

/**
 * The file already in the folder under this name has the same content (same SHA-1, and the
 * file did not change while it was read): there is nothing to upload or replace.
 */
async function identicalOnBox(
  runtime: JobRuntime,
  host: ConflictHost,
  conflict: NameConflict,
): Promise<UploadResult | undefined> {
  if (conflict.type !== 'file') return undefined;
  const { record } = runtime;
  const snapshot = record.snapshot;
  const lookUp = (): Promise<BoxFile> =>
    withRetries('lookup', runtime.retry, () => runtime.retry.client.getFile(conflict.id, runtime.retry.signal));
  // Without Box's SHA-1 in the answer, the file's own says whether reading the local one is worth it.
  let known: BoxFile | undefined;
  if (!conflict.sha1) {
    known = await lookUp();
    if (known.sizeBytes !== snapshot.sizeBytes || !known.sha1) return undefined;
  }
  const boxSha1 = conflict.sha1 ?? known?.sha1 ?? '';
  runtime.setState('hashing'); // a big file takes a while to read; say what is happening
  const sha1Hex = await sha1OfFile(runtime.file.handle, snapshot.sizeBytes);
  const after = compareSnapshot(snapshot, snapshotOf(await runtime.file.handle.stat({ bigint: true })));
  if (after.kind !== 'unchanged' || !sameSha1(sha1Hex, boxSha1)) return undefined;
  const file = known ?? (await lookUp());
  if (!sameSha1(file.sha1, sha1Hex)) return undefined;
  if (record.session) await host.dropSession();
  record.markIdenticalOnBox();
  runtime.progressFor(1).confirmed(0, snapshot.sizeBytes);
  return { file, sha1Hex };
}
