import { MAX_DIRECT_UPLOAD_BYTES, MIN_CHUNKED_UPLOAD_BYTES } from '../../shared/box-limits.ts';
import { partCountFor, partSizeAt } from '../../shared/part-size.ts';
import { BoxApiError, BoxProtocolError } from '../box/box-error.ts';

/** One part of a session upload: its index, where it starts in the file and its size. */
export interface PartRange {
  index: number;
  offset: number;
  sizeBytes: number;
}

/** Files under 20,000,000 bytes go as one direct upload; Box refuses sessions for them. */
export function uploadMethodFor(sizeBytes: number): 'direct' | 'session' {
  return sizeBytes < MIN_CHUNKED_UPLOAD_BYTES ? 'direct' : 'session';
}

/**
 * Box refused a session for a file of `sizeBytes` as too small (400 file_size_too_small), and
 * the file may go as one direct upload instead. Box documents its minimum only as "20 MB" (its
 * SDK tests upload 20 MiB), so a file between 20,000,000 bytes and Box's real minimum can meet
 * this; direct upload is documented up to 50 MB (box-api.md sections 3.5 and 10.1).
 */
export function directAfterSessionRefused(error: unknown, sizeBytes: number): boolean {
  return error instanceof BoxApiError && error.code === 'file_size_too_small' && sizeBytes <= MAX_DIRECT_UPLOAD_BYTES;
}

/**
 * The parts of a file under a session. `part_size` and `total_parts` come from the server and are
 * never assumed; every part but the last is exactly part_size (box-api.md section 4).
 */
export function planParts(fileSizeBytes: number, partSizeBytes: number, totalParts: number): PartRange[] {
  const expected = partCountFor(fileSizeBytes, partSizeBytes);
  if (partSizeBytes < 1 || totalParts !== expected) {
    throw new BoxProtocolError(
      `the server's session does not fit the file: ${totalParts} parts of ${partSizeBytes} bytes for ${fileSizeBytes} bytes`,
    );
  }
  return Array.from({ length: totalParts }, (_, index) => ({
    index,
    offset: index * partSizeBytes,
    sizeBytes: partSizeAt(index, totalParts, partSizeBytes, fileSizeBytes),
  }));
}
