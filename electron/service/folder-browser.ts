import type { Destination, FolderListing, FolderRef } from '../../shared/folder-model.ts';
import { MAX_FOLDER_ITEMS_LIMIT } from '../../shared/box-limits.ts';
import { BoxApiError } from '../box/box-error.ts';
import { markerPages } from '../box/marker-pages.ts';
import type { BoxClient } from '../box/box-client.ts';
import { NetworkError } from '../box/http-transport.ts';

/** Items looked through per folder; a folder with more lists the subfolders found so far. */
const MAX_ITEMS_SCANNED = 10_000;

/** Why a folder could not be opened or chosen, in words for the person. */
export class FolderUnavailable extends Error {}

/** A folder, its ancestors and its subfolders, for the folder chooser. */
export async function listFolder(client: BoxClient, folderId: string): Promise<FolderListing> {
  const folder = await openFolder(client, folderId);
  const subfolders: FolderRef[] = [];
  const pages = markerPages((marker) =>
    client.listFolderItems(folderId, { marker, limit: MAX_FOLDER_ITEMS_LIMIT }).catch((error: unknown) => {
      throw unavailable(error, client);
    }),
  );
  let scanned = 0;
  let truncated = false;
  for await (const page of pages) {
    for (const item of page.entries) if (item.type === 'folder') subfolders.push({ id: item.id, name: item.name });
    scanned += page.entries.length;
    truncated = page.nextMarker !== undefined;
    if (scanned >= MAX_ITEMS_SCANNED) break;
  }
  subfolders.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }));
  return { folder: { id: folder.id, name: folder.name }, path: folder.path ?? [], subfolders, truncated };
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
