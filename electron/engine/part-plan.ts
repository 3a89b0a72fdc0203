import { MIN_CHUNKED_UPLOAD_BYTES } from '../../shared/box-limits.ts';
import { partCountFor, partSizeAt } from '../../shared/part-size.ts';
import { BoxProtocolError } from '../box/box-error.ts';

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
