import { BoxApiError } from '../box/box-error.ts';
import { parseUploadSession, type BoxFile, type UploadedPart, type UploadSession } from '../box/box-types.ts';
import { BufferPool } from './buffer-pool.ts';
import { commitUpload } from './commit-upload.ts';
import { compareSnapshot, modifiedAtIso, snapshotOf } from './file-snapshot.ts';
import { FileChangedError, PartsMissing } from './job-stops.ts';
import type { JobRuntime } from './job-runtime.ts';
import { planParts, type PartRange } from './part-plan.ts';
import { uploadParts } from './part-pipeline.ts';
import { OrderedPartReader } from './part-reader.ts';
import { checkLanded } from './landed-check.ts';
import { sha1OfFile } from './name-conflict.ts';
import { listAllParts } from './session-parts.ts';
import { statPath } from './source-file.ts';
import { verifyContent } from './verify-content.ts';
import { withRetries } from './with-retries.ts';

/** A session gone on the server (expired, aborted, unknown) is replaced at most this often per run. */
const MAX_SESSION_REPLACEMENTS = 3;

const sessionGone = (error: unknown): boolean =>
  error instanceof BoxApiError && (error.status === 410 || (error.status === 404 && error.operation !== 'upload file'));

/**
 * Creates the session, or asks the server which parts it already holds (the truth on resume).
 * Returns the file when a resumed job's session is gone because its commit landed.
 */
async function ensureSession(runtime: JobRuntime): Promise<BoxFile | undefined> {
  const { record, retry, engine } = runtime;
  if (!record.session) {
    const { session, reused } = await createSession(runtime);
    record.session = session;
    record.confirmed = new Map();
    engine.hooks.sessionChanged?.(record);
    if (!reused) return undefined;
  }
  // Resume (or a session Box named on create): the server is the truth. Its status says whether
  // the session lives; its parts include any whose answer was lost.
  const session = record.session;
  try {
    await withRetries('get-session', retry, () =>
      retry.client.getUploadSession(session.session_endpoints.status, runtime.signal),
    );
    const stored = await withRetries('list-parts', retry, () => listAllParts(retry.client, session, runtime.signal));
    record.confirmed = new Map(
      stored
        .filter((part) => part.offset % session.part_size === 0)
        .map((part): [number, UploadedPart] => [part.offset / session.part_size, part]),
    );
  } catch (error) {
    // An earlier run may have committed just before it stopped, without saying so in the journal.
    if (sessionGone(error) && record.restored) {
      const landed = await landedBeforeRestart(runtime);
      if (landed) return landed;
    }
    throw error;
  }
  if (record.restored && !record.resumedFrom) {
    record.resumedFrom = { partsAlreadyUploaded: record.confirmed.size, totalParts: session.total_parts };
  }
  return undefined;
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
  const size = record.snapshot!.sizeBytes;
  for (let conflicts = 0; ;) {
    try {
      const session = await withRetries('create-session', retry, () =>
        destination.kind === 'folder'
          ? retry.client.createUploadSession({
              folderId: destination.folderId,
              fileName: record.fileName,
              fileSizeBytes: size,
              signal: runtime.signal,
            })
          : retry.client.createVersionUploadSession({
              fileId: destination.fileId,
              fileSizeBytes: size,
              signal: runtime.signal,
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
      const named = namedSession(error);
      if (!named || named.total_parts !== Math.ceil(size / named.part_size)) continue;
      try {
        await withRetries('get-session', retry, () =>
          retry.client.getUploadSession(named.session_endpoints.status, runtime.signal),
        );
        return { session: named, reused: true };
      } catch (statusError) {
        if (!sessionGone(statusError)) throw statusError;
      }
    }
  }
}

function namedSession(error: BoxApiError): UploadSession | undefined {
  try {
    return parseUploadSession(error.contextInfo?.['session']);
  } catch {
    return undefined;
  }
}

/** The whole-file SHA-1 (from the saved state when it is complete, else read again) and a look on Box. */
async function landedBeforeRestart(runtime: JobRuntime): Promise<BoxFile | undefined> {
  const { record } = runtime;
  const sizeBytes = record.snapshot!.sizeBytes;
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

/** The content check after a ctime-only change: every part sent or hashed must read the same. */
async function recheckContent(
  runtime: JobRuntime,
  plan: readonly PartRange[],
  upToBytes: number,
  current?: [number, string],
) {
  const { record } = runtime;
  const known = (index: number): string | undefined =>
    index === current?.[0] ? current[1] : (record.confirmed.get(index)?.sha1 ?? record.partDigests.get(index));
  const fresh = await verifyContent(runtime.file.handle, plan, known, upToBytes);
  record.wholeFile.adopt(fresh);
  runtime.engine.hooks.hashAdvanced?.(record);
}

/** fstat after a part was read: any change stops the job; a ctime-only change is checked. */
async function afterPartRead(
  runtime: JobRuntime,
  plan: readonly PartRange[],
  part: PartRange,
  sha1Hex: string,
): Promise<void> {
  const { record } = runtime;
  const now = snapshotOf(await runtime.file.handle.stat({ bigint: true }));
  const change = compareSnapshot(record.snapshot!, now);
  if (change.kind === 'changed') throw new FileChangedError(change.description);
  if (change.kind === 'ctime-only') {
    await recheckContent(runtime, plan, part.offset + part.sizeBytes, [part.index, sha1Hex]);
    record.snapshot = now;
    runtime.engine.hooks.snapshotChanged?.(record);
  }
}

/** Before commit: stat the path (a file renamed over ours has another inode). */
async function checkBeforeCommit(runtime: JobRuntime, plan: readonly PartRange[]): Promise<void> {
  const { record } = runtime;
  const onPath = await statPath(record.path);
  if (!onPath) throw new FileChangedError('it was deleted');
  const now = snapshotOf(onPath);
  const change = compareSnapshot(record.snapshot!, now);
  if (change.kind === 'changed') throw new FileChangedError(change.description);
  if (change.kind === 'ctime-only') {
    await recheckContent(runtime, plan, record.snapshot!.sizeBytes);
    record.snapshot = now;
    runtime.engine.hooks.snapshotChanged?.(record);
  }
}

/** Uploads through an upload session: ensure session, send missing parts, commit. */
export async function uploadBySession(
  runtime: JobRuntime,
  contentCheckFirst: boolean,
): Promise<{ file: BoxFile; sha1Hex: string }> {
  const { record, engine, retry } = runtime;
  let needsContentCheck = contentCheckFirst;
  const mismatch = { rounds: 0 };
  for (let replacements = 0; ;) {
    try {
      runtime.setState('uploading');
      const landed = await ensureSession(runtime);
      if (landed) return { file: landed, sha1Hex: landed.sha1.toLowerCase() };
      const session = record.session!;
      const plan = planParts(record.snapshot!.sizeBytes, session.part_size, session.total_parts);
      const progress = runtime.progressFor(session.total_parts);
      for (const index of record.confirmed.keys()) progress.confirmed(index, plan[index]?.sizeBytes ?? 0);
      if (needsContentCheck) {
        runtime.setState('hashing');
        const lastConfirmed = Math.max(-1, ...record.confirmed.keys());
        const coveredBytes = lastConfirmed < 0 ? 0 : plan[lastConfirmed]!.offset + plan[lastConfirmed]!.sizeBytes;
        await recheckContent(runtime, plan, Math.max(record.wholeFile.bytesHashed, coveredBytes));
        needsContentCheck = false;
        runtime.setState('uploading');
      }
      const reader = new OrderedPartReader({
        file: runtime.file.handle,
        plan,
        pool: new BufferPool(session.part_size, engine.parallel() + 1),
        wholeFile: record.wholeFile,
        isConfirmed: (index) => record.confirmed.has(index),
        afterRead: (part, sha1Hex) => afterPartRead(runtime, plan, part, sha1Hex),
        onHashed: (index, sha1Hex) => {
          record.partDigests.set(index, sha1Hex);
          engine.hooks.hashAdvanced?.(record);
        },
        onReading: (index) => progress.setState(index, 'reading'),
      });
      await uploadParts({
        client: retry.client,
        uploadPartUrl: session.session_endpoints.upload_part,
        listPartsUrl: session.session_endpoints.list_parts,
        fileSizeBytes: record.snapshot!.sizeBytes,
        file: runtime.file.handle,
        reader,
        parallel: engine.parallel,
        slots: engine.slots,
        gate: engine.gate,
        progress,
        signal: runtime.signal,
        credentials: retry.credentials,
        ...(engine.random ? { random: engine.random } : {}),
        onConfirmed: (index, part) => {
          record.confirmed.set(index, part);
          engine.hooks.partConfirmed?.(record, index, part);
        },
      });
      await checkBeforeCommit(runtime, plan);
      runtime.setState('committing');
      const digest = record.wholeFile.digest();
      const file = await commitUpload(
        {
          session,
          parts: record.confirmed,
          sha1Base64: digest.toString('base64'),
          sha1Hex: digest.toString('hex'),
          sizeBytes: record.snapshot!.sizeBytes,
          fileName: record.fileName,
          destination: record.destination,
          mayHaveLanded: record.restored === true,
          mismatch,
          attributes: { content_modified_at: modifiedAtIso(record.snapshot!) },
        },
        retry,
      );
      return { file, sha1Hex: digest.toString('hex') };
    } catch (error) {
      if (error instanceof PartsMissing) {
        for (const index of error.missing) record.confirmed.delete(index);
        runtime.resetProgress();
        continue;
      }
      if (sessionGone(error) && replacements < MAX_SESSION_REPLACEMENTS && !runtime.signal.aborted) {
        // The file was checked on every read; the whole-file SHA-1 does not depend on the session.
        replacements += 1;
        record.session = undefined;
        record.confirmed.clear();
        runtime.resetProgress();
        continue;
      }
      throw error;
    }
  }
}
