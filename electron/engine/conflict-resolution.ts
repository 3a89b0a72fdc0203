import { sameSha1, type BoxFile } from '../box/box-types.ts';
import { compareSnapshot, snapshotOf } from './file-snapshot.ts';
import type { JobRuntime } from './job-runtime.ts';
import {
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
 * lets the error through, for the person to choose.
 */
export async function uploadResolvingConflicts(
  runtime: JobRuntime,
  host: ConflictHost,
  upload: () => Promise<UploadResult>,
): Promise<UploadResult> {
  const { record } = runtime;
  for (let renames = 0; ;) {
    try {
      return await upload();
    } catch (error) {
      const conflict = nameConflictOf(error);
      const policy = record.onNameConflict ?? 'ask';
      if (conflict && policy !== 'keep-both') {
        const identical = await identicalOnBox(runtime, host, conflict);
        if (identical) return identical;
      }
      if (!conflict || policy === 'ask') throw error;
      let change: () => void;
      if (policy === 'replace' && conflict.type === 'file' && record.destination.kind === 'folder') {
        change = () => record.replaceExisting(conflict.id);
      } else if (policy === 'keep-both' && renames < MAX_KEEP_BOTH_ATTEMPTS) {
        renames += 1;
        change = () => record.rename(nextKeepBothName(record.fileName));
      } else {
        throw error;
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

/**
 * The file already in the folder under this name has the same content (same SHA-1, and the
 * file did not change while it was read): there is nothing to upload or replace.
 */
async function identicalOnBox(
  runtime: JobRuntime,
  host: ConflictHost,
  conflict: NameConflict,
): Promise<UploadResult | undefined> {
  if (conflict.type !== 'file' || !conflict.sha1) return undefined;
  const { record } = runtime;
  const snapshot = record.snapshot;
  runtime.setState('hashing'); // a big file takes a while to read; say what is happening
  const sha1Hex = await sha1OfFile(runtime.file.handle, snapshot.sizeBytes);
  const after = compareSnapshot(snapshot, snapshotOf(await runtime.file.handle.stat({ bigint: true })));
  if (after.kind !== 'unchanged' || !sameSha1(sha1Hex, conflict.sha1)) return undefined;
  const file = await withRetries('lookup', runtime.retry, () =>
    runtime.retry.client.getFile(conflict.id, runtime.retry.signal),
  );
  if (!sameSha1(file.sha1, sha1Hex)) return undefined;
  if (record.session) await host.dropSession();
  record.markIdenticalOnBox();
  runtime.progressFor(1).confirmed(0, snapshot.sizeBytes);
  return { file, sha1Hex };
}
