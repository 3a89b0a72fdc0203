import { createHash } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './temp-dir.ts';

/**
 * Deterministic pseudo-random bytes (xorshift32), so a failing test can be rerun on the same
 * content without storing fixtures. Not for anything but tests.
 */
export function patternBytes(sizeBytes: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(sizeBytes);
  let x = seed >>> 0 || 1;
  let i = 0;
  for (; i + 4 <= sizeBytes; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.writeUInt32LE(x, i);
  }
  for (; i < sizeBytes; i++) out[i] = (x >>> (8 * (i % 4))) & 0xff;
  return out;
}

export const sha1Hex = (data: Uint8Array): string => createHash('sha1').update(data).digest('hex');
export const sha1Base64 = (data: Uint8Array): string => createHash('sha1').update(data).digest('base64');

/** Writes a file of `sizeBytes` pattern bytes and returns its path, bytes and SHA-1. */
export async function writePatternFile(dir: string, name: string, sizeBytes: number, seed = 1) {
  const bytes = patternBytes(sizeBytes, seed);
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, bytes, sha1: sha1Hex(bytes) };
}

/** A sparse file of `sizeBytes` (reads as zeros) without writing its bytes. */
export async function writeSparseFile(path: string, sizeBytes: number): Promise<void> {
  const handle = await open(path, 'w');
  await handle.truncate(sizeBytes);
  await handle.close();
}

/** Two files of the same name and different content (seeds `seed` and `seed + 1`), in two local directories. */
export async function sameNameTwice(
  t: { after(cleanup: () => unknown): void },
  name: string,
  sizeBytes: number,
  seed: number,
) {
  const root = await tempDir(t);
  await mkdir(join(root, 'a'));
  await mkdir(join(root, 'b'));
  return [
    await writePatternFile(join(root, 'a'), name, sizeBytes, seed),
    await writePatternFile(join(root, 'b'), name, sizeBytes, seed + 1),
  ] as const;
}
