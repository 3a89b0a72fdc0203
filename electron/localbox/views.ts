import type { FileRecord, FolderRecord, ItemStore } from './item-store.ts';
import type { UploadSession } from './session-store.ts';
import { sharedLinkView } from './shared-links.ts';

/** JSON shapes as Box returns them: string ids, `type` on every object, etags as strings. */

const LOCAL_USER = { type: 'user', id: '1', name: 'Local Box', login: 'localbox@localhost' };

export function folderMini(folder: FolderRecord): Record<string, unknown> {
  return {
    type: 'folder',
    id: folder.id,
    sequence_id: String(folder.etag),
    etag: String(folder.etag),
    name: folder.name,
  };
}

export function fileMini(file: FileRecord): Record<string, unknown> {
  const version = file.versions.at(-1);
  return {
    type: 'file',
    id: file.id,
    sequence_id: String(file.etag),
    etag: String(file.etag),
    name: file.name,
    sha1: version?.sha1 ?? '',
    file_version: { type: 'file_version', id: version?.id ?? '', sha1: version?.sha1 ?? '' },
  };
}

function pathCollection(store: ItemStore, parentId: string | null): Record<string, unknown> {
  const entries = store.ancestors(parentId).map(folderMini);
  return { total_count: entries.length, entries };
}

/**
 * `owner` is Box's User--Mini of who owns the item (UserAccount.ownerView); `origin` is where the
 * request came in, for the shared link's URLs (left out without it).
 */
export function fileFull(
  store: ItemStore,
  file: FileRecord,
  owner: Record<string, unknown> = LOCAL_USER,
  origin?: string,
): Record<string, unknown> {
  const parent = store.folder(file.parentId);
  return {
    ...fileMini(file),
    description: file.description,
    size: file.versions.at(-1)?.sizeBytes ?? 0,
    path_collection: pathCollection(store, file.parentId),
    created_at: file.createdAt,
    modified_at: file.modifiedAt,
    content_created_at: file.contentCreatedAt,
    content_modified_at: file.contentModifiedAt,
    created_by: LOCAL_USER,
    modified_by: LOCAL_USER,
    owned_by: owner,
    parent: parent ? folderMini(parent) : null,
    item_status: 'active',
    ...(origin === undefined
      ? {}
      : { shared_link: file.sharedLink ? sharedLinkView(file, file.sharedLink, origin) : null }),
  };
}

export const ITEM_ORDER = [
  { by: 'type', direction: 'ASC' },
  { by: 'name', direction: 'ASC' },
];

export function itemMini(store: ItemStore, item: FolderRecord | FileRecord): Record<string, unknown> {
  return 'versions' in item ? fileMini(item) : folderMini(item);
}

export function folderFull(
  store: ItemStore,
  folder: FolderRecord,
  owner: Record<string, unknown> = LOCAL_USER,
): Record<string, unknown> {
  const children = store.children(folder.id);
  const parent = folder.parentId === null ? undefined : store.folder(folder.parentId);
  return {
    ...folderMini(folder),
    ...(folder.parentId === null ? { sequence_id: null, etag: null } : {}),
    description: '',
    size: 0,
    path_collection: pathCollection(store, folder.parentId),
    created_at: folder.parentId === null ? null : folder.createdAt,
    modified_at: folder.parentId === null ? null : folder.modifiedAt,
    created_by: LOCAL_USER,
    modified_by: LOCAL_USER,
    owned_by: owner,
    parent: parent ? folderMini(parent) : null,
    item_status: 'active',
    item_collection: {
      total_count: children.length,
      entries: children.slice(0, 100).map((item) => itemMini(store, item)),
      offset: 0,
      limit: 100,
      order: ITEM_ORDER,
    },
  };
}

/**
 * A session as Box answers it; its `session_endpoints` start with `endpointBase` (`<origin>/api/2.0`
 * of the request, or the `sessionEndpointBase` option: Box may name another of its hosts).
 */
export function sessionView(session: UploadSession, endpointBase: string): Record<string, unknown> {
  const { record } = session;
  const base = `${endpointBase}/files/upload_sessions/${record.id}`;
  return {
    id: record.id,
    type: 'upload_session',
    session_expires_at: new Date(record.expiresAtMs).toISOString(),
    part_size: record.partSizeBytes,
    total_parts: record.totalParts,
    num_parts_processed: session.parts.size,
    session_endpoints: {
      upload_part: base,
      commit: `${base}/commit`,
      abort: base,
      list_parts: `${base}/parts`,
      status: base,
      log_event: `${base}/log`,
    },
  };
}
