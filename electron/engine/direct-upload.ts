import { createHash } from 'node:crypto';
import { sameSha1, type BoxFile } from '../box/box-types.ts';
import { compareSnapshot, modifiedAtIso, snapshotOf } from './file-snapshot.ts';
import { FileChangedError } from './job-stops.ts';
import type { JobRecord } from './job-record.ts';
import { checkLanded } from './landed-check.ts';
import type { JobRuntime } from './job-runtime.ts';
import { readRange } from './part-reader.ts';
import { commitOutcomeUnknown } from './retry-policy.ts';
import { statPath } from './source-file.ts';
import { withRetries } from './with-retries.ts';

/**
 * Jobs whose last direct upload attempt ended without knowing whether Box stored the file. Kept
 * by record, not per call: a job that stopped to wait for the network starts uploadDirect again.
 */
const outcomeUnknown = new WeakSet<JobRecord>();
/** Jobs restored mid-upload whose first direct upload in this process has begun. */
const restoredSeen = new WeakSet<JobRecord>();

/**
 * Files under 20,000,000 bytes, or up to 50 MB when Box refused them a session as too small: read
 * once into memory, hashed, checked against the snapshot, then sent as one multipart POST with
 * content-md5 = the SHA-1 hex. An attempt whose outcome is unknown is looked up on Box
 * (landed-check.ts) before the file is sent again.
 */
export async function uploadDirect(runtime: JobRuntime): Promise<{ file: BoxFile; sha1Hex: string }> {
  const { record, file, retry } = runtime;
  const snapshot = record.snapshot;
  if (record.restoredMidUpload && !restoredSeen.has(record)) {
    // The process that began it may have sent it before it stopped: look before sending again.
    restoredSeen.add(record);
    outcomeUnknown.add(record);
  }
  const progress = runtime.progressFor(1);
  runtime.setState('hashing');
  progress.setState(0, 'reading');
  const content = Buffer.allocUnsafe(snapshot.sizeBytes);
  const hash = createHash('sha1');
  await readRange(file.handle, { index: 0, offset: 0, sizeBytes: snapshot.sizeBytes }, content, (slice) =>
    hash.update(slice),
  );
  const sha1Hex = hash.digest('hex');
  const afterRead = compareSnapshot(snapshot, snapshotOf(await file.handle.stat({ bigint: true })));
  // A direct upload has no parts already sent, so any change at all (even ctime) is a change.
  if (afterRead.kind !== 'unchanged')
    throw new FileChangedError(
      afterRead.kind === 'changed' ? afterRead.description : 'it was written to while being read',
    );

  await runtime.preflight; // the account's check ran beside the read: before any byte of the file
  runtime.setState('uploading');
  let attempt = 0;
  const onRetry = (_delayMs: number, reason: string): void => progress.setState(0, 'retrying', { lastError: reason });
  const uploaded = await withRetries('direct-upload', { ...retry, onRetry }, async () => {
    const onPath = await statPath(record.path);
    if (!onPath) throw new FileChangedError('it was deleted');
    const now = compareSnapshot(snapshot, snapshotOf(onPath));
    if (now.kind === 'changed') throw new FileChangedError(now.description);
    if (outcomeUnknown.has(record)) {
      // An earlier attempt may have stored the file: sending it again would store a second
      // version, or meet our own file as a name conflict (and keep both would number a copy).
      const found = await checkLanded(
        { destination: record.destination, fileName: record.fileName, sha1Hex, sizeBytes: snapshot.sizeBytes },
        retry,
      );
      if (found.kind === 'landed') return found.file;
      outcomeUnknown.delete(record);
    }
    attempt += 1;
    progress.setState(0, 'uploading', { attempts: attempt });
    const common = {
      fileName: record.fileName,
      content,
      sha1Hex,
      contentModifiedAt: modifiedAtIso(snapshot),
      signal: retry.signal,
      onBodyProgress: (sent: number) => progress.sent(0, sent),
    };
    try {
      return await (record.destination.kind === 'folder'
        ? retry.client.uploadFile({ ...common, folderId: record.destination.folderId })
        : retry.client.uploadFile({ ...common, fileId: record.destination.fileId }));
    } catch (error) {
      // No answer, or a 5xx: the write may still have happened (box-api.md section 2).
      if (commitOutcomeUnknown(error)) outcomeUnknown.add(record);
      throw error;
    }
  });
  outcomeUnknown.delete(record);
  if (uploaded.sha1 && !sameSha1(uploaded.sha1, sha1Hex)) {
    throw new FileChangedError(`Box stored content with SHA-1 ${uploaded.sha1}, not ${sha1Hex}`);
  }
  progress.confirmed(0, snapshot.sizeBytes);
  return { file: uploaded, sha1Hex };
}
