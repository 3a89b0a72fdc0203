import { MAX_FOLDER_ITEMS_LIMIT } from '../../shared/box-limits.ts';
import { sameSha1, type BoxFile, type BoxItem } from '../box/box-types.ts';
import { markerPages } from '../box/marker-pages.ts';
import type { Destination } from './job-record.ts';
import { withRetries, type RetryContext } from './with-retries.ts';

/** What Box holds where an upload whose commit may have landed was going. */
export type LandedCheck =
  /** Box holds exactly these bytes there: the commit landed. */
  | { kind: 'landed'; file: BoxFile }
  /** Nothing under the name in the folder. */
  | { kind: 'absent' }
  /** Something else is there (other bytes, or a folder). */
  | { kind: 'different'; description: string };

/** The upload to look for: where it went, under which name, and its size and SHA-1. */
export interface LandedTarget {
  destination: Destination;
  fileName: string;
  sha1Hex: string;
  sizeBytes: number;
}

/**
 * Finds out whether an upload's commit landed, when its answer was lost or an earlier run sent
 * it: a new file is looked up in the folder by name (case-insensitively, as Box compares names)
 * and must have the size and SHA-1; a new version is landed when the file's current version has
 * the local SHA-1.
 */
export async function checkLanded(target: LandedTarget, context: RetryContext): Promise<LandedCheck> {
  const { client, signal } = context;
  const { destination } = target;
  const item =
    destination.kind === 'new-version'
      ? { type: 'file' as const, id: destination.fileId }
      : await findByName(destination.folderId, target.fileName, context);
  if (item === undefined) return { kind: 'absent' };
  if (item.type !== 'file') return { kind: 'different', description: `a ${item.type} is named "${target.fileName}"` };
  const file = await withRetries('lookup', context, () => client.getFile(item.id, signal));
  if (file.sizeBytes === target.sizeBytes && sameSha1(file.sha1, target.sha1Hex)) return { kind: 'landed', file };
  return {
    kind: 'different',
    description: `the file there has ${file.sizeBytes} bytes and SHA-1 ${file.sha1.toLowerCase() || 'unknown'}, this one ${target.sizeBytes} bytes and SHA-1 ${target.sha1Hex}`,
  };
}

/**
 * A name as names are compared: case-insensitively, as Box does, and in one Unicode form (NFC):
 * macOS writes "é" decomposed, and whether Box keeps or composes it is undocumented.
 */
const nameKey = (name: string): string => name.normalize('NFC').toLowerCase();

/** The item named `name` in the folder (nameKey), following the listing's markers. */
export async function findByName(folderId: string, name: string, context: RetryContext): Promise<BoxItem | undefined> {
  const wanted = nameKey(name);
  const pages = markerPages((marker) =>
    withRetries('lookup', context, () =>
      context.client.listFolderItems(folderId, { marker, limit: MAX_FOLDER_ITEMS_LIMIT }, context.signal),
    ),
  );
  for await (const page of pages) {
    const match = page.entries.find((item) => nameKey(item.name) === wanted);
    if (match) return match;
  }
  return undefined;
}
