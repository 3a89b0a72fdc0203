import type { Destination, FolderListing, FolderRef } from '../../shared/folder-model.ts';
import { BoxApiError } from '../box/box-error.ts';
import type { BoxClient } from '../box/box-client.ts';
import { NetworkError } from '../box/http-transport.ts';

/** Box answers at most 1,000 items a page. */
const PAGE_ITEMS = 1000;
/** Items looked through per folder; a folder with more lists the subfolders found so far. */
const MAX_ITEMS_SCANNED = 10_000;

/** Why a folder could not be opened or chosen, in words for the person. */
export class FolderUnavailable extends Error {}

/** A folder, its ancestors and its subfolders, for the folder chooser. */
export async function listFolder(client: BoxClient, folderId: string): Promise<FolderListing> {
  const folder = await openFolder(client, folderId);
  const subfolders: FolderRef[] = [];
  let offset = 0;
  let total: number;
  do {
    const page = await client.listFolderItems(folderId, { offset, limit: PAGE_ITEMS }).catch((error: unknown) => {
      throw unavailable(error, client);
    });
    for (const item of page.entries) if (item.type === 'folder') subfolders.push({ id: item.id, name: item.name });
    total = page.totalCount;
    offset += page.entries.length;
    if (page.entries.length === 0) break;
  } while (offset < total && offset < MAX_ITEMS_SCANNED);
  subfolders.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }));
  return {
    folder: { id: folder.id, name: folder.name },
    path: folder.path ?? [],
    subfolders,
    truncated: offset < total,
  };
}

/** Checks that the folder exists on the target and names its path, to upload into it. */
export async function destinationOf(client: BoxClient, folderId: string): Promise<Destination> {
  const folder = await openFolder(client, folderId);
  return { folderId: folder.id, names: [...(folder.path ?? []).map((ancestor) => ancestor.name), folder.name] };
}

async function openFolder(client: BoxClient, folderId: string) {
  try {
    return await client.getFolder(folderId);
  } catch (error) {
    throw unavailable(error, client);
  }
}

function unavailable(error: unknown, client: BoxClient): Error {
  const server = new URL(client.target.apiBaseUrl).host;
  if (error instanceof BoxApiError && error.status === 404)
    return new FolderUnavailable(`That folder no longer exists on ${server}.`);
  if (error instanceof BoxApiError && (error.status === 401 || error.status === 403))
    return new FolderUnavailable(`${server} did not let Hoist see that folder (${error.code}).`);
  if (error instanceof NetworkError) return new FolderUnavailable(`${server} cannot be reached (${error.message}).`);
  return error instanceof Error ? error : new Error(String(error));
}
