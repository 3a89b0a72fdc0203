import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { DEFAULT_FOLDER_ITEMS_LIMIT, MAX_FOLDER_ITEMS_LIMIT } from '../../../shared/box-limits.ts';
import type { Exchange } from '../exchange.ts';
import type { VersionRecord } from '../item-store.ts';
import { checkItemName } from '../item-names.ts';
import type { LocalboxContext } from '../localbox-context.ts';
import { badRequest, LocalboxError, notFound } from '../localbox-error.ts';
import { fileFull, folderFull, ITEM_ORDER, itemMini } from '../views.ts';
import { assertNameFree, pagingParameter } from './session-routes.ts';

function fileFromParams(exchange: Exchange, context: LocalboxContext) {
  const file = context.items.file(exchange.params['fileId'] ?? '');
  if (!file) throw notFound(`File ${exchange.params['fileId']} not found`);
  return file;
}

/** Box answers a malformed folder id on folder routes with 405 (box-api.md section 2). */
function folderFromParams(exchange: Exchange, context: LocalboxContext) {
  const id = exchange.params['folderId'] ?? '';
  if (!/^\d+$/.test(id)) throw new LocalboxError(405, 'method_not_allowed', `"${id.slice(0, 40)}" is not a folder id`);
  const folder = context.items.folder(id);
  if (!folder) throw notFound(`Folder ${id} not found`);
  return folder;
}

/** GET /2.0/files/{id} */
export async function getFile(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const file = fileFromParams(exchange, context);
  await exchange.json(
    200,
    fileFull(context.items, file, context.user.ownerView(context.items, file.parentId), exchange.origin),
  );
}

/** GET /2.0/files/{id}/content: the current version's bytes, streamed from its segments. */
export async function downloadFile(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const file = fileFromParams(exchange, context);
  const version = file.versions.at(-1);
  if (!version) throw notFound('The file has no content');
  await exchange.stream(
    200,
    {
      'content-type': 'application/octet-stream',
      'content-length': String(version.sizeBytes),
      etag: String(file.etag),
    },
    contentStream(context.dataDir, version),
  );
}

/** A version's bytes, read from its segments in order. */
export function contentStream(dataDir: string, version: VersionRecord): Readable {
  const body = new PassThrough();
  void (async () => {
    try {
      for (const segment of version.segments) {
        for await (const chunk of createReadStream(join(dataDir, segment))) {
          if (!body.write(chunk)) await new Promise((resolve) => body.once('drain', resolve));
        }
      }
      body.end();
    } catch (error) {
      body.destroy(error as Error);
    }
  })();
  return body;
}

/** POST /2.0/folders {name, parent: {id}}; a name conflict lists the existing folder in an array. */
export async function createFolder(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const body = (await exchange.readJson()) as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) throw badRequest('The request body must be a JSON object');
  const name = checkItemName(body['name']);
  const parentId = (body['parent'] as Record<string, unknown> | undefined)?.['id'];
  if (typeof parentId !== 'string') throw badRequest('parent.id is required');
  if (!context.items.folder(parentId)) throw notFound(`Folder ${parentId} not found`);
  assertNameFree(context, parentId, name, { conflictsAsArray: true });
  const folder = await context.items.createFolder(name, parentId);
  await exchange.json(201, folderFull(context.items, folder, context.user.ownerView(context.items, folder.id)));
}

/** GET /2.0/folders/{id} */
export async function getFolder(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const folder = folderFromParams(exchange, context);
  await exchange.json(200, folderFull(context.items, folder, context.user.ownerView(context.items, folder.id)));
}

/**
 * GET /2.0/folders/{id}/items: folders first, then files. Offset paging (`offset`, at most 9999)
 * or, with `usemarker=true`, marker paging: `marker` from the last page's `next_marker`, absent
 * or "0" for the first page; the answer has no total_count, offset or order (Box's spec, Items).
 */
export async function listFolderItems(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const folder = folderFromParams(exchange, context);
  const asked = pagingParameter(
    exchange,
    'limit',
    DEFAULT_FOLDER_ITEMS_LIMIT,
    0,
    MAX_FOLDER_ITEMS_LIMIT,
    'bad_request',
  );
  const limit = Math.min(Math.max(1, asked), context.answers.folderItemsPageMax);
  const children = context.items.children(folder.id);
  const page = (start: number) => children.slice(start, start + limit).map((item) => itemMini(context.items, item));
  if (exchange.url.searchParams.get('usemarker') !== 'true') {
    const offset = pagingParameter(exchange, 'offset', 0, 0, 9999, 'bad_request');
    return exchange.json(200, {
      total_count: children.length,
      entries: page(offset),
      offset,
      limit,
      order: ITEM_ORDER,
    });
  }
  const start = markerStart(exchange.url.searchParams.get('marker'), folder.id);
  const next = start + limit;
  const last = context.answers.lastNextMarker;
  await exchange.json(200, {
    limit,
    entries: page(start),
    ...(next < children.length
      ? { next_marker: marker(folder.id, next) }
      : last === 'absent'
        ? {}
        : { next_marker: last === 'null' ? null : '' }),
    ...(start > 0 ? { prev_marker: marker(folder.id, Math.max(0, start - limit)) } : {}),
  });
}

/** An opaque marker, as Box's are: which folder, and the index of the next entry. */
const marker = (folderId: string, index: number): string => Buffer.from(`${folderId}:${index}`).toString('base64url');

function markerStart(given: string | null, folderId: string): number {
  if (given === null || given === '' || given === '0') return 0;
  const [folder, index] = Buffer.from(given, 'base64url').toString().split(':');
  if (folder !== folderId || !/^\d+$/.test(index ?? ''))
    throw badRequest('marker is not one this listing gave', 'bad_request');
  return Number(index);
}
