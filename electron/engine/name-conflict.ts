import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { BoxApiError } from '../box/box-error.ts';
import { parseConflictingItem } from '../box/box-types.ts';
import { readRange } from './part-reader.ts';

/** The item already in the destination folder under the name a job wanted. */
export interface NameConflict {
  type: 'file' | 'folder';
  id: string;
  /** The existing file's SHA-1 (hex), when Box sent it. */
  sha1?: string;
}

/**
 * Box refused a name as taken (409 item_name_in_use). Acting on the code alone: Box's spec types
 * some of these 409s (commit's) as a plain ClientError, with no `context_info.conflicts`.
 */
export function isNameTaken(error: unknown): error is BoxApiError {
  return error instanceof BoxApiError && error.status === 409 && error.code === 'item_name_in_use';
}

/**
 * The existing item of a 409 item_name_in_use, when Box named it (parsed at the edge: box-types.ts
 * parseConflictingItem). Undefined when Box did not: conflict-resolution.ts finds it by name.
 */
export function nameConflictOf(error: unknown): NameConflict | undefined {
  if (!isNameTaken(error)) return undefined;
  const item = parseConflictingItem(error.contextInfo);
  if (!item) return undefined;
  return item.sha1Hex ? { type: item.type, id: item.id, sha1: item.sha1Hex } : { type: item.type, id: item.id };
}

/** The SHA-1 (hex) of the whole of `file`, `sizeBytes` long, read in 1 MiB slices. */
export async function sha1OfFile(file: FileHandle, sizeBytes: number): Promise<string> {
  const hash = createHash('sha1');
  const buffer = Buffer.allocUnsafe(Math.min(1024 * 1024, Math.max(1, sizeBytes)));
  for (let offset = 0; offset < sizeBytes; offset += buffer.length) {
    const range = { index: 0, offset, sizeBytes: Math.min(buffer.length, sizeBytes - offset) };
    await readRange(file, range, buffer, (slice) => hash.update(slice));
  }
  return hash.digest('hex');
}

/** Past this many numbered names, the folder is not the place to keep trying. */
export const MAX_KEEP_BOTH_ATTEMPTS = 100;

/**
 * The next name for "keep both", as Box's web uploader and most file managers number copies:
 * "report.pdf" → "report (1).pdf" → "report (2).pdf". The number goes before the last extension
 * (before ".tar.gz" as a whole); a name that starts with a dot and has no other (".env") takes it
 * at the end.
 */
export function nextKeepBothName(name: string): string {
  const split = /^(.+?)((?:\.tar)?\.[^.]*)$/.exec(name);
  const [stem, extension] = split ? [split[1]!, split[2]!] : [name, ''];
  const numbered = /^(.*) \((\d+)\)$/.exec(stem);
  const next = numbered ? `${numbered[1]} (${Number(numbered[2]) + 1})` : `${stem} (1)`;
  return next + extension;
}
