import type { FileHandle } from 'node:fs/promises';
import { readRange } from './part-reader.ts';
import { prepareSha1, ResumableSha1 } from './sha1/resumable-sha1.ts';

/**
 * The part size Box was seen to answer for files up to hundreds of MB (box-api.md section 3.4:
 * 8 MiB up to at least 445,856,194 bytes; 32 MiB for 1 GB). Only a guess: the session's answer
 * decides, and a read made with another size is dropped.
 */
export const LIKELY_PART_SIZE_BYTES = 8 * 1024 * 1024;
/** Past this size Box was seen to answer larger parts: no guess is made. */
const GUESS_UP_TO_BYTES = 445_856_194;

/** The first part, read and hashed before its session existed. */
export interface PartReadAhead {
  sizeBytes: number;
  bytes: Buffer;
  sha1Hex: string;
  sha1Base64: string;
  /** The whole-file SHA-1 advanced over these bytes (a copy; the job's own is untouched). */
  wholeFileAfter: ResumableSha1;
}

/**
 * Reads and hashes a new upload's first part while its session is being created, so the first
 * byte leaves as soon as the session answers instead of a read and two hashes later. Undefined
 * when there is nothing to guess (a file too large for the usual part size, a hash already begun).
 */
export function readFirstPartAhead(
  file: FileHandle,
  fileSizeBytes: number,
  wholeFile: ResumableSha1,
): Promise<PartReadAhead | undefined> | undefined {
  if (fileSizeBytes > GUESS_UP_TO_BYTES || wholeFile.bytesHashed !== 0) return undefined;
  const sizeBytes = Math.min(LIKELY_PART_SIZE_BYTES, fileSizeBytes);
  const reading = (async () => {
    await prepareSha1();
    const bytes = Buffer.allocUnsafeSlow(sizeBytes);
    const partHash = ResumableSha1.forPart();
    const wholeFileAfter = wholeFile.clone();
    await readRange(file, { index: 0, offset: 0, sizeBytes }, bytes, (slice) =>
      ResumableSha1.updateBoth(partHash, wholeFileAfter, slice),
    );
    const digest = partHash.digest();
    return { sizeBytes, bytes, sha1Hex: digest.toString('hex'), sha1Base64: digest.toString('base64'), wholeFileAfter };
  })();
  // A failed read-ahead is not an error: the reader reads the part again and reports what it finds.
  return reading.catch(() => undefined);
}
