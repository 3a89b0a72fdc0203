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

/** GET /2.0/folders/{id}/items?offset=&limit=: folders first, then files. */
export async function listFolderItems(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const folder = folderFromParams(exchange, context);
  const limit = Math.max(
    1,
    pagingParameter(exchange, 'limit', DEFAULT_FOLDER_ITEMS_LIMIT, 0, MAX_FOLDER_ITEMS_LIMIT, 'bad_request'),
  );
  const offset = pagingParameter(exchange, 'offset', 0, 0, 9999, 'bad_request');
  const children = context.items.children(folder.id);
  await exchange.json(200, {
    total_count: children.length,
    entries: children.slice(offset, offset + limit).map((item) => itemMini(context.items, item)),
    offset,
    limit,
    order: ITEM_ORDER,
  });
}
