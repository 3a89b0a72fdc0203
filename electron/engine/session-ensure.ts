import { partCountFor } from '../../shared/part-size.ts';
import { BoxApiError } from '../box/box-error.ts';
import { parseConflictingSession, type BoxFile, type StoredPart, type UploadSession } from '../box/box-types.ts';
import type { JobRuntime } from './job-runtime.ts';
import { checkLanded } from './landed-check.ts';
import { sha1OfFile } from './name-conflict.ts';
import { listAllParts } from './session-parts.ts';
import { withRetries } from './with-retries.ts';

/** The calls made to a session's own URLs (box-client.ts operation names). */
const onSessionUrl = (operation: string): boolean =>
  operation.startsWith('upload part') ||
  ['list parts', 'get upload session', 'commit upload session', 'abort upload session'].includes(operation);

/**
 * The session is gone on the server, so a new one starts: a 410, or a 404 from one of the
 * session's own URLs. A 404 to the create itself is the folder (or file) that is gone, and a
 * new session would meet it again.
 */
export const sessionGone = (error: unknown): boolean =>
  error instanceof BoxApiError && (error.status === 410 || (error.status === 404 && onSessionUrl(error.operation)));

/** The session parts go to, or the file when a resumed job's commit had landed already. */
export type EnsuredSession = { kind: 'session'; session: UploadSession } | { kind: 'landed'; file: BoxFile };

/**
 * Creates the session, or asks the server which parts it already holds (the truth on resume).
 * Returns the file when a resumed job's session is gone because its commit landed.
 */
export async function ensureSession(runtime: JobRuntime): Promise<EnsuredSession> {
  const { record, retry } = runtime;
  let session = record.session;
  if (!session) {
    const created = await createSession(runtime);
    session = created.session;
    record.startSession(session);
    if (!created.reused) return { kind: 'session', session };
  }
  // Resume (or a session Box named on create): the server is the truth. Its status says whether
  // the session lives; its parts include any whose answer was lost.
  const { partSizeBytes, endpoints } = session;
  try {
    await withRetries('get-session', retry, () => retry.client.getUploadSession(endpoints.status, retry.signal));
    const stored = await withRetries('list-parts', retry, () => listAllParts(retry.client, session, retry.signal));
    record.reconcileParts(
      stored
        .filter((part) => part.offsetBytes % partSizeBytes === 0)
        .map((part): [number, StoredPart] => [part.offsetBytes / partSizeBytes, part]),
    );
  } catch (error) {
    // An earlier run may have committed just before it stopped, without saying so in the journal.
    if (sessionGone(error) && record.restored) {
      const landed = await landedBeforeRestart(runtime);
      if (landed) return { kind: 'landed', file: landed };
    }
    throw error;
  }
  if (record.restored) {
    record.markResumed({ partsAlreadyUploaded: record.confirmed.size, totalParts: session.totalParts });
  }
  return { kind: 'session', session };
}

/** A session conflict is answered at most this often per create before the job gives up. */
const MAX_SESSION_CONFLICTS = 3;

/**
 * Creates an upload session. A 409 session_conflict (Box's answer to a replayed create) names the
 * session the first create made in `context_info.session` (box-ui-elements continues with it):
 * use it when it lives, otherwise create a fresh one.
 */
async function createSession(runtime: JobRuntime): Promise<{ session: UploadSession; reused: boolean }> {
  const { record, retry } = runtime;
  const { destination } = record;
  const size = record.snapshot.sizeBytes;
  for (let conflicts = 0; ;) {
    try {
      const session = await withRetries('create-session', retry, () =>
        destination.kind === 'folder'
          ? retry.client.createUploadSession({
              folderId: destination.folderId,
              fileName: record.fileName,
              fileSizeBytes: size,
              signal: retry.signal,
            })
          : retry.client.createVersionUploadSession({
              fileId: destination.fileId,
              fileSizeBytes: size,
              signal: retry.signal,
            }),
      );
      return { session, reused: false };
    } catch (error) {
      if (
        !(error instanceof BoxApiError && error.code === 'session_conflict') ||
        ++conflicts >= MAX_SESSION_CONFLICTS
      ) {
        throw error;
      }
      const named = parseConflictingSession(error.contextInfo);
      if (!named || named.totalParts !== partCountFor(size, named.partSizeBytes)) continue;
      try {
        await withRetries('get-session', retry, () =>
          retry.client.getUploadSession(named.endpoints.status, retry.signal),
        );
        return { session: named, reused: true };
      } catch (statusError) {
        if (!sessionGone(statusError)) throw statusError;
      }
    }
  }
}

/** The whole-file SHA-1 (from the saved state when it is complete, else read again) and a look on Box. */
async function landedBeforeRestart(runtime: JobRuntime): Promise<BoxFile | undefined> {
  const { record } = runtime;
  const sizeBytes = record.snapshot.sizeBytes;
  let sha1Hex: string;
  if (record.wholeFile.bytesHashed === sizeBytes) {
    sha1Hex = record.wholeFile.digest().toString('hex');
  } else {
    runtime.setState('hashing');
    sha1Hex = await sha1OfFile(runtime.file.handle, sizeBytes);
  }
  const found = await checkLanded(
    { destination: record.destination, fileName: record.fileName, sha1Hex, sizeBytes },
    runtime.retry,
  );
  return found.kind === 'landed' ? found.file : undefined;
}

/**
 * A resumed job whose file changed since its snapshot: its commit may have reached Box before the
 * crash, with the bytes of the snapshot. The saved whole-file hash (when complete) says whether
 * Box holds them; nothing is read from the changed file.
 */
export async function landedBeforeChange(runtime: Pick<JobRuntime, 'record' | 'retry'>): Promise<BoxFile | undefined> {
  const { record } = runtime;
  const sizeBytes = record.snapshot.sizeBytes;
  if (!record.restored || !record.session || record.wholeFile.bytesHashed !== sizeBytes) return undefined;
  const found = await checkLanded(
    {
      destination: record.destination,
      fileName: record.fileName,
      sha1Hex: record.wholeFile.digest().toString('hex'),
      sizeBytes,
    },
    runtime.retry,
  );
  return found.kind === 'landed' ? found.file : undefined;
}
