import { BoxProtocolError } from './box-error.ts';
import { isSharedLinkAccess, type SharedLink } from '../../shared/share-model.ts';

/**
 * Box's answers as the rest of Hoist sees them: checked when they arrive and converted from Box's
 * snake_case to names that carry their units, `context_info` included. The wire shapes stay in this
 * file and box-client.ts: the engine and the service only ever see these types (the journal keeps
 * Box's names on disk and converts in journal-schema.ts).
 */

/** An upload session's follow-up URLs, absolute and exactly as Box returned them. */
export interface SessionEndpoints {
  uploadPart: string;
  commit: string;
  abort: string;
  listParts: string;
  status: string;
}

/** An upload session (Box's `UploadSession`); the part size and count are Box's, never assumed. */
export interface UploadSession {
  id: string;
  /** ISO 8601 as Box wrote it; empty when Box left it out. */
  expiresAt: string;
  /** Every part but the last is exactly this long. */
  partSizeBytes: number;
  totalParts: number;
  /** Parts Box had processed when it answered (0 when it left the count out). */
  partsProcessed: number;
  endpoints: SessionEndpoints;
}

/**
 * A part Box stored (Box's `UploadPart`). The commit sends these back with their values unchanged
 * but the SHA-1's case (storedPartToWire): it is lower-case hex, while a request's digest header
 * is base64.
 */
export interface StoredPart {
  partId: string;
  offsetBytes: number;
  sizeBytes: number;
  sha1Hex: string;
}

/** A file (Box's `File`); `sha1` is hex of either case, as Box wrote it ('' when absent). */
export interface BoxFile {
  id: string;
  type: 'file';
  name: string;
  sizeBytes: number;
  sha1: string;
  etag: string | null;
  parent: { id: string } | null;
  /** The current version; a new version of the file has a new id here. */
  fileVersion: { id: string; sha1: string } | null;
}

/** A folder (Box's `Folder`). */
export interface BoxFolder {
  id: string;
  type: 'folder';
  name: string;
  /** Its ancestors, the root ("All Files") first; only in full folder objects. */
  path?: Array<{ id: string; name: string }>;
}

/** An entry of a folder's listing (asked with fields=name,sha1). */
export interface BoxItem {
  id: string;
  type: 'file' | 'folder' | 'web_link';
  name: string;
  sha1?: string;
}

/**
 * One page of a marker-paged listing (Box's pagination guide, "Marker-based"): `nextMarker` asks
 * for the page after it, and is undefined on the last page (Box's `null` or empty string).
 */
export interface MarkerPage<T> {
  entries: T[];
  nextMarker: string | undefined;
}

/** One page of a listing; `offset` and `limit` count entries, `totalCount` is all there are. */
export interface Page<T> {
  entries: T[];
  totalCount: number;
  offset: number;
  limit: number;
}

/** Box writes SHA-1s in hex of either case (its spec's examples are upper case): compare them so. */
export function sameSha1(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a !== '' && a.toLowerCase() === b.toLowerCase();
}

type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BoxProtocolError(`${what} is not an object`);
  return value as Json;
}

function text(record: Json, key: string, what: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new BoxProtocolError(`${what}.${key} is not a string`);
  return value;
}

function count(record: Json, key: string, what: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new BoxProtocolError(`${what}.${key} is not a whole number`);
  }
  return value;
}

/** An UploadSession answer (create, status, or the one a 409 session_conflict names). */
export function parseUploadSession(value: unknown): UploadSession {
  const record = object(value, 'upload session');
  const endpoints = object(record['session_endpoints'], 'session_endpoints');
  const session: UploadSession = {
    id: text(record, 'id', 'upload session'),
    expiresAt: typeof record['session_expires_at'] === 'string' ? record['session_expires_at'] : '',
    partSizeBytes: count(record, 'part_size', 'upload session'),
    totalParts: count(record, 'total_parts', 'upload session'),
    partsProcessed: typeof record['num_parts_processed'] === 'number' ? record['num_parts_processed'] : 0,
    endpoints: {
      uploadPart: text(endpoints, 'upload_part', 'session_endpoints'),
      commit: text(endpoints, 'commit', 'session_endpoints'),
      abort: text(endpoints, 'abort', 'session_endpoints'),
      listParts: text(endpoints, 'list_parts', 'session_endpoints'),
      status: text(endpoints, 'status', 'session_endpoints'),
    },
  };
  if (session.partSizeBytes < 1) throw new BoxProtocolError('upload session has a part size of 0');
  return session;
}

/** An UploadPart (`{part_id, offset, size, sha1}`), its SHA-1 lower-cased. */
export function parseStoredPart(value: unknown): StoredPart {
  const record = object(value, 'part');
  return {
    partId: text(record, 'part_id', 'part'),
    offsetBytes: count(record, 'offset', 'part'),
    sizeBytes: count(record, 'size', 'part'),
    sha1Hex: text(record, 'sha1', 'part').toLowerCase(),
  };
}

/**
 * The part a 416 range_overlaps_existing_part names in `context_info.conflicting_part`, or
 * undefined when it names none with an id, offset and size. Its SHA-1 may be missing ('' then):
 * the caller lists the parts to learn whether it is ours.
 */
export function parseConflictingPart(contextInfo: Record<string, unknown> | undefined): StoredPart | undefined {
  const part = contextInfo?.['conflicting_part'] as Record<string, unknown> | undefined;
  if (
    !part ||
    typeof part['part_id'] !== 'string' ||
    typeof part['offset'] !== 'number' ||
    typeof part['size'] !== 'number'
  ) {
    return undefined;
  }
  return {
    partId: part['part_id'],
    offsetBytes: part['offset'],
    sizeBytes: part['size'],
    sha1Hex: String(part['sha1'] ?? '').toLowerCase(),
  };
}

/** The item already holding a name (409 item_name_in_use), as Box names it in `context_info.conflicts`. */
export interface ConflictingItem {
  type: 'file' | 'folder';
  id: string;
  /** The existing file's SHA-1 (lower-case hex), when Box sent one. */
  sha1Hex?: string;
}

/**
 * The item of a 409 item_name_in_use. Box sends `context_info.conflicts` as one object for files
 * and as an array for folders, though its spec says array everywhere: accept both (box-api.md
 * section 3.6). Undefined when it names no file or folder with an id.
 */
export function parseConflictingItem(contextInfo: Record<string, unknown> | undefined): ConflictingItem | undefined {
  const raw = contextInfo?.['conflicts'];
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (typeof first !== 'object' || first === null) return undefined;
  const { type, id, sha1 } = first as Record<string, unknown>;
  if ((type !== 'file' && type !== 'folder') || typeof id !== 'string' || id === '') return undefined;
  return typeof sha1 === 'string' && /^[0-9a-f]{40}$/i.test(sha1)
    ? { type, id, sha1Hex: sha1.toLowerCase() }
    : { type, id };
}

/**
 * The session a 409 session_conflict names in `context_info.session` (the one an earlier create
 * made; box-ui-elements continues with it), or undefined when it names none that parses.
 */
export function parseConflictingSession(contextInfo: Record<string, unknown> | undefined): UploadSession | undefined {
  try {
    return parseUploadSession(contextInfo?.['session']);
  } catch {
    return undefined;
  }
}

/** Box's own words on why it refused (`context_info.errors[0].message`, as a 400 or 403 carries), if any. */
export function firstContextMessage(contextInfo: Record<string, unknown> | undefined): string | undefined {
  const errors = contextInfo?.['errors'];
  const message: unknown = Array.isArray(errors)
    ? (errors[0] as { message?: unknown } | undefined)?.message
    : undefined;
  return typeof message === 'string' ? message : undefined;
}

/** A part as Box's commit body takes it: the UploadPart Box returned, field for field (SHA-1 lower-cased). */
export interface WirePart {
  part_id: string;
  offset: number;
  size: number;
  sha1: string;
}

/** A stored part back in Box's shape, for the commit body (the key order is Box's). */
export function storedPartToWire(part: StoredPart): WirePart {
  return { part_id: part.partId, offset: part.offsetBytes, size: part.sizeBytes, sha1: part.sha1Hex };
}

/** A File object (GET /files/{id}, or an entry of an upload's answer). */
export function parseFile(value: unknown): BoxFile {
  const record = object(value, 'file');
  const parent =
    record['parent'] === null || record['parent'] === undefined ? null : object(record['parent'], 'file.parent');
  const version =
    record['file_version'] === null || record['file_version'] === undefined
      ? null
      : object(record['file_version'], 'file_version');
  return {
    id: text(record, 'id', 'file'),
    type: 'file',
    name: text(record, 'name', 'file'),
    sizeBytes: typeof record['size'] === 'number' ? record['size'] : 0,
    sha1: typeof record['sha1'] === 'string' ? record['sha1'] : '',
    etag: typeof record['etag'] === 'string' ? record['etag'] : null,
    parent: parent ? { id: text(parent, 'id', 'file.parent') } : null,
    fileVersion: version ? { id: text(version, 'id', 'file_version'), sha1: String(version['sha1'] ?? '') } : null,
  };
}

/** The first file of a `Files` collection ({total_count, entries}), as commit and uploads return. */
export function parseFilesCollection(value: unknown): BoxFile {
  const entries = object(value, 'files collection')['entries'];
  if (!Array.isArray(entries) || entries.length === 0) throw new BoxProtocolError('files collection has no entries');
  return parseFile(entries[0]);
}

/** A page of a listing (folder items, parts), each entry read by `parseEntry`. */
export function parsePage<T>(value: unknown, parseEntry: (entry: unknown) => T): Page<T> {
  const record = object(value, 'page');
  const entries = record['entries'];
  if (!Array.isArray(entries)) throw new BoxProtocolError('page.entries is not an array');
  return {
    entries: entries.map(parseEntry),
    totalCount: typeof record['total_count'] === 'number' ? record['total_count'] : entries.length,
    offset: typeof record['offset'] === 'number' ? record['offset'] : 0,
    limit: typeof record['limit'] === 'number' ? record['limit'] : entries.length,
  };
}

/** A page of a marker-paged listing (folder items with usemarker=true), each entry read by `parseEntry`. */
export function parseMarkerPage<T>(value: unknown, parseEntry: (entry: unknown) => T): MarkerPage<T> {
  const record = object(value, 'page');
  const entries = record['entries'];
  if (!Array.isArray(entries)) throw new BoxProtocolError('page.entries is not an array');
  const next = record['next_marker'];
  if (next !== undefined && next !== null && typeof next !== 'string' && typeof next !== 'number')
    throw new BoxProtocolError('page.next_marker is not a string');
  // The guide types markers as integers and the spec as strings: either is passed back as given.
  return { entries: entries.map(parseEntry), nextMarker: next === null || next === '' ? undefined : next?.toString() };
}

/** An entry of a folder's listing: a file, a folder, or (anything else) a web link. */
export function parseItem(value: unknown): BoxItem {
  const record = object(value, 'item');
  const type = text(record, 'type', 'item');
  return {
    id: text(record, 'id', 'item'),
    type: type === 'folder' ? 'folder' : type === 'file' ? 'file' : 'web_link',
    name: text(record, 'name', 'item'),
    ...(typeof record['sha1'] === 'string' ? { sha1: record['sha1'] } : {}),
  };
}

/** The id in an item's `owned_by` (asked with fields=owned_by), or undefined when it has none. */
export function parseOwnerId(value: unknown): string | undefined {
  const owner = object(value, 'item')['owned_by'];
  return owner === undefined || owner === null ? undefined : text(object(owner, 'owned_by'), 'id', 'owned_by');
}

/** A Folder object, with its ancestors when Box sent `path_collection`. */
export function parseFolder(value: unknown): BoxFolder {
  const record = object(value, 'folder');
  const folder: BoxFolder = { id: text(record, 'id', 'folder'), type: 'folder', name: text(record, 'name', 'folder') };
  const ancestors = record['path_collection'] ? object(record['path_collection'], 'path_collection')['entries'] : null;
  if (Array.isArray(ancestors)) {
    folder.path = ancestors.map((entry: unknown) => {
      const ancestor = object(entry, 'path_collection entry');
      return {
        id: text(ancestor, 'id', 'path_collection entry'),
        name: text(ancestor, 'name', 'path_collection entry'),
      };
    });
  }
  return folder;
}

/**
 * The signed-in account (GET /users/me, Box's User--Full), converted from Box's snake_case.
 * A limit Box leaves out, or sends as something other than a whole number, is undefined: unknown,
 * so nothing is refused on account of it.
 */
export interface Account {
  id: string;
  login: string;
  name: string;
  spaceUsedBytes: number | undefined;
  spaceAmountBytes: number | undefined;
  maxUploadSizeBytes: number | undefined;
}

function optionalBytes(record: Json, key: string): number | undefined {
  const value = record[key];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** GET /users/me's answer as an Account. */
export function parseUser(value: unknown): Account {
  const record = object(value, 'user');
  return {
    id: text(record, 'id', 'user'),
    login: typeof record['login'] === 'string' ? record['login'] : '',
    name: typeof record['name'] === 'string' ? record['name'] : '',
    spaceUsedBytes: optionalBytes(record, 'space_used'),
    spaceAmountBytes: optionalBytes(record, 'space_amount'),
    maxUploadSizeBytes: optionalBytes(record, 'max_upload_size'),
  };
}

/**
 * The `shared_link` of a file Box answered with. `effective_access` may be narrower than what was
 * asked (an admin's policy); a server that leaves it out is taken at its `access`.
 */
export function parseSharedLink(value: unknown): SharedLink {
  const file = object(value, 'file');
  const link = object(file['shared_link'], 'file.shared_link');
  const url = text(link, 'url', 'shared_link');
  if (!/^https?:\/\//.test(url)) throw new BoxProtocolError('shared_link.url is not a web address');
  const access = link['access'];
  if (!isSharedLinkAccess(access))
    throw new BoxProtocolError('shared_link.access is not open, company or collaborators');
  const effective = link['effective_access'];
  return { url, access, effectiveAccess: isSharedLinkAccess(effective) ? effective : access };
}
