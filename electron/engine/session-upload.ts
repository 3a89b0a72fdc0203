import { BoxApiError } from '../box/box-error.ts';
import type { BoxFile } from '../box/box-types.ts';
import { BufferPool } from './buffer-pool.ts';
import { commitUpload } from './commit-upload.ts';
import { compareSnapshot, modifiedAtIso, snapshotOf } from './file-snapshot.ts';
import { readFirstPartAhead } from './first-part-ahead.ts';
import { FileChangedError, PartsMissing } from './job-stops.ts';
import type { JobRuntime } from './job-runtime.ts';
import { planParts, type PartRange } from './part-plan.ts';
import { PartsInFlight } from './parallel-controller.ts';
import { uploadParts } from './part-pipeline.ts';
import { OrderedPartReader } from './part-reader.ts';
import { ensureSession, sessionGone } from './session-ensure.ts';
import { statPath } from './source-file.ts';
import { verifyContent } from './verify-content.ts';

/** A session gone on the server (expired, aborted, unknown) is replaced at most this often per run. */
const MAX_SESSION_REPLACEMENTS = 3;

/** Box refused the commit's whole-file digest (400 digest_mismatch; any 4xx naming the digest). */
const wholeDigestRejected = (error: unknown): boolean =>
  error instanceof BoxApiError && error.status >= 400 && error.status < 500 && /digest/i.test(error.code);

/** The content check after a ctime-only change: every part sent or hashed must read the same. */
async function recheckContent(
  runtime: JobRuntime,
  plan: readonly PartRange[],
  upToBytes: number,
  current?: [number, string],
) {
  const { record } = runtime;
  const known = (index: number): string | undefined =>
    index === current?.[0] ? current[1] : (record.confirmed.get(index)?.sha1Hex ?? record.partDigests.get(index));
  record.adoptWholeFileHash(await verifyContent(runtime.file.handle, plan, known, upToBytes));
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
  const change = compareSnapshot(record.snapshot, now);
  if (change.kind === 'changed') throw new FileChangedError(change.description);
  if (change.kind === 'ctime-only') {
    await recheckContent(runtime, plan, part.offset + part.sizeBytes, [part.index, sha1Hex]);
    record.takeSnapshot(now);
  }
}

/** Before commit: stat the path (a file renamed over ours has another inode). */
async function checkBeforeCommit(runtime: JobRuntime, plan: readonly PartRange[]): Promise<void> {
  const { record } = runtime;
  const onPath = await statPath(record.path);
  if (!onPath) throw new FileChangedError('it was deleted');
  const now = snapshotOf(onPath);
  const change = compareSnapshot(record.snapshot, now);
  if (change.kind === 'changed') throw new FileChangedError(change.description);
  if (change.kind === 'ctime-only') {
    await recheckContent(runtime, plan, record.snapshot.sizeBytes);
    record.takeSnapshot(now);
  }
}

/** Uploads through an upload session: ensure session, send missing parts, commit. */
export async function uploadBySession(
  runtime: JobRuntime,
  contentCheckFirst: boolean,
): Promise<{ file: BoxFile; sha1Hex: string }> {
  const { record, limits, retry } = runtime;
  let needsContentCheck = contentCheckFirst;
  const mismatch = { rounds: 0 };
  let rehashed = false;
  for (let replacements = 0; ;) {
    try {
      runtime.setState('uploading');
      // A new session: its first part is read and hashed while the server creates it.
      const firstPartAhead = record.session
        ? undefined
        : readFirstPartAhead(runtime.file.handle, record.snapshot.sizeBytes, record.wholeFile);
      const ensured = await ensureSession(runtime);
      if (ensured.kind === 'landed') return { file: ensured.file, sha1Hex: ensured.file.sha1.toLowerCase() };
      const { session } = ensured;
      const plan = planParts(record.snapshot.sizeBytes, session.partSizeBytes, session.totalParts);
      const progress = runtime.progressFor(session.totalParts);
      for (const index of record.confirmed.keys()) progress.confirmed(index, plan[index]?.sizeBytes ?? 0);
      if (needsContentCheck) {
        runtime.setState('hashing');
        const lastConfirmed = Math.max(-1, ...record.confirmed.keys());
        const coveredBytes = lastConfirmed < 0 ? 0 : plan[lastConfirmed]!.offset + plan[lastConfirmed]!.sizeBytes;
        await recheckContent(runtime, plan, Math.max(record.wholeFile.bytesHashed, coveredBytes));
        needsContentCheck = false;
        runtime.setState('uploading');
      }
      const inFlight = new PartsInFlight(limits.parallel);
      const reader = new OrderedPartReader({
        file: runtime.file.handle,
        plan,
        pool: new BufferPool(session.partSizeBytes, () => inFlight.limit() + 1),
        wholeFile: record.wholeFile,
        isConfirmed: (index) => record.confirmed.has(index),
        afterRead: (part, sha1Hex) => afterPartRead(runtime, plan, part, sha1Hex),
        onHashed: (index, sha1Hex) => record.partHashed(index, sha1Hex),
        onReading: (index) => progress.setState(index, 'reading'),
        firstPartAhead,
      });
      await runtime.preflight; // the account's check, begun beside the session: before any byte of the file
      await uploadParts({
        client: retry.client,
        uploadPartUrl: session.endpoints.uploadPart,
        listPartsUrl: session.endpoints.listParts,
        fileSizeBytes: record.snapshot.sizeBytes,
        file: runtime.file.handle,
        reader,
        parallel: inFlight,
        slots: limits.slots,
        gate: limits.gate,
        progress,
        signal: retry.signal,
        ...(retry.random ? { random: retry.random } : {}),
        onConfirmed: (index, part) => record.confirmPart(index, part),
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
          sizeBytes: record.snapshot.sizeBytes,
          fileName: record.fileName,
          destination: record.destination,
          mayHaveLanded: record.restored === true,
          mismatch,
          attributes: { content_modified_at: modifiedAtIso(record.snapshot) },
        },
        retry,
      );
      return { file, sha1Hex: digest.toString('hex') };
    } catch (error) {
      if (error instanceof PartsMissing) {
        record.forgetParts(error.missing);
        runtime.resetProgress();
        continue;
      }
      if (!rehashed && wholeDigestRejected(error) && record.session) {
        // The whole-file SHA-1 was carried over from a saved state; if that state was wrong, every
        // resume would fail the same way. Read the file once more from disk: its parts must match
        // the SHA-1s Box confirmed (or the file changed, and that fails), and the digest is new.
        rehashed = true;
        runtime.setState('hashing');
        const session = record.session;
        await recheckContent(
          runtime,
          planParts(record.snapshot.sizeBytes, session.partSizeBytes, session.totalParts),
          record.snapshot.sizeBytes,
        );
        continue;
      }
      if (sessionGone(error) && replacements < MAX_SESSION_REPLACEMENTS && !retry.signal.aborted) {
        // The file was checked on every read; the whole-file SHA-1 does not depend on the session.
        replacements += 1;
        record.dropSession();
        runtime.resetProgress();
        continue;
      }
      throw error;
    }
  }
}
