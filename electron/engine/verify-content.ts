import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { FileChangedError } from './job-stops.ts';
import type { PartRange } from './part-plan.ts';
import { readRange } from './part-reader.ts';
import { prepareSha1, ResumableSha1 } from './sha1/resumable-sha1.ts';

/**
 * When only a file's ctime changed (its mtime put back, a chmod), its bytes may or may not have:
 * re-read the parts up to `upToBytes` and compare each with the SHA-1 it had when it was sent or
 * hashed. Returns a whole-file SHA-1 recomputed over that prefix, which also covers parts whose
 * earlier digest is not known (after a restart).
 */
export async function verifyContent(
  file: FileHandle,
  plan: readonly PartRange[],
  knownSha1: (index: number) => string | undefined,
  upToBytes: number,
): Promise<ResumableSha1> {
  await prepareSha1();
  const wholeFile = ResumableSha1.create();
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  for (const part of plan) {
    if (part.offset >= upToBytes) break;
    const partHash = createHash('sha1');
    for (let at = 0; at < part.sizeBytes; at += buffer.length) {
      const slice = {
        index: part.index,
        offset: part.offset + at,
        sizeBytes: Math.min(buffer.length, part.sizeBytes - at),
      };
      await readRange(file, slice, buffer, (bytes) => {
        partHash.update(bytes);
        wholeFile.update(bytes);
      });
    }
    const expected = knownSha1(part.index);
    if (expected !== undefined && partHash.digest('hex') !== expected) {
      throw new FileChangedError(
        `the bytes of part ${part.index + 1} (from byte ${part.offset.toLocaleString('en-US')}) changed`,
      );
    }
  }
  return wholeFile;
}
