import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { PRIVATE_FILE_MODE } from '../../shared/file-modes.ts';

/**
 * Writes JSON so a reader sees either the old or the new content, never half of it: write a
 * temporary file beside the target, then rename over it. localbox survives its own restart,
 * not power loss, so it does not fsync (fsync of every part would dominate the benchmarks).
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, JSON.stringify(value), { mode: PRIVATE_FILE_MODE });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
