import { BoxProtocolError } from './box-error.ts';
import { isSharedLinkAccess, type SharedLink } from '../../shared/share-model.ts';

/** Box API shapes the engine relies on, checked when they arrive. */

export interface SessionEndpoints {
  upload_part: string;
  commit: string;
  abort: string;
  list_parts: string;
  status: string;
}

export interface UploadSession {
  id: string;
  session_expires_at: string;
  part_size: number;
  total_parts: number;
  num_parts_processed: number;
  session_endpoints: SessionEndpoints;
}

/** A stored part exactly as Box returns it; commit sends these back unchanged. */
export interface UploadedPart {
  part_id: string;
  offset: number;
  size: number;
  /** Hex, while the request digest header is base64. */
  sha1: string;
}

export interface BoxFile {
  id: string;
  type: 'file';
  name: string;
  size: number;
  sha1: string;
  etag: string | null;
  parent: { id: string } | null;
  file_version: { id: string; sha1: string } | null;
}

export interface BoxFolder {
  id: string;
  type: 'folder';
  name: string;
  /** Its ancestors, the root ("All Files") first; only in full folder objects. */
  path?: Array<{ id: string; name: string }>;
}

export interface BoxItem {
  id: string;
  type: 'file' | 'folder' | 'web_link';
  name: string;
  sha1?: string;
}

export interface Page<T> {
  entries: T[];
  total_count: number;
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

export function parseUploadSession(value: unknown): UploadSession {
  const record = object(value, 'upload session');
  const endpoints = object(record['session_endpoints'], 'session_endpoints');
  const session: UploadSession = {
    id: text(record, 'id', 'upload session'),
    session_expires_at: typeof record['session_expires_at'] === 'string' ? record['session_expires_at'] : '',
    part_size: count(record, 'part_size', 'upload session'),
    total_parts: count(record, 'total_parts', 'upload session'),
    num_parts_processed: typeof record['num_parts_processed'] === 'number' ? record['num_parts_processed'] : 0,
    session_endpoints: {
      upload_part: text(endpoints, 'upload_part', 'session_endpoints'),
      commit: text(endpoints, 'commit', 'session_endpoints'),
      abort: text(endpoints, 'abort', 'session_endpoints'),
      list_parts: text(endpoints, 'list_parts', 'session_endpoints'),
      status: text(endpoints, 'status', 'session_endpoints'),
    },
  };
  if (session.part_size < 1) throw new BoxProtocolError('upload session has a part size of 0');
  return session;
}

export function parseUploadedPart(value: unknown): UploadedPart {
  const record = object(value, 'part');
  return {
    part_id: text(record, 'part_id', 'part'),
    offset: count(record, 'offset', 'part'),
    size: count(record, 'size', 'part'),
    sha1: text(record, 'sha1', 'part').toLowerCase(),
  };
}

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
    size: typeof record['size'] === 'number' ? record['size'] : 0,
    sha1: typeof record['sha1'] === 'string' ? record['sha1'] : '',
    etag: typeof record['etag'] === 'string' ? record['etag'] : null,
    parent: parent ? { id: text(parent, 'id', 'file.parent') } : null,
    file_version: version ? { id: text(version, 'id', 'file_version'), sha1: String(version['sha1'] ?? '') } : null,
  };
}

/** The first file of a `Files` collection ({total_count, entries}), as commit and uploads return. */
export function parseFilesCollection(value: unknown): BoxFile {
  const entries = object(value, 'files collection')['entries'];
  if (!Array.isArray(entries) || entries.length === 0) throw new BoxProtocolError('files collection has no entries');
  return parseFile(entries[0]);
}

export function parsePage<T>(value: unknown, parseEntry: (entry: unknown) => T): Page<T> {
  const record = object(value, 'page');
  const entries = record['entries'];
  if (!Array.isArray(entries)) throw new BoxProtocolError('page.entries is not an array');
  return {
    entries: entries.map(parseEntry),
    total_count: typeof record['total_count'] === 'number' ? record['total_count'] : entries.length,
    offset: typeof record['offset'] === 'number' ? record['offset'] : 0,
    limit: typeof record['limit'] === 'number' ? record['limit'] : entries.length,
  };
}

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
