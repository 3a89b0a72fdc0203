import { BoxApiError } from '../box/box-error.ts';

/** The item already in the destination folder under the name a job wanted. */
export interface NameConflict {
  type: 'file' | 'folder';
  id: string;
}

/**
 * The existing item of a 409 item_name_in_use. Box sends `context_info.conflicts` as one object
 * for files and as an array for folders, though its spec says array everywhere: accept both
 * (box-api.md section 3.6).
 */
export function nameConflictOf(error: unknown): NameConflict | undefined {
  if (!(error instanceof BoxApiError) || error.status !== 409 || error.code !== 'item_name_in_use') return undefined;
  const raw = error.contextInfo?.['conflicts'];
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (typeof first !== 'object' || first === null) return undefined;
  const { type, id } = first as Record<string, unknown>;
  if ((type !== 'file' && type !== 'folder') || typeof id !== 'string' || id === '') return undefined;
  return { type, id };
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
