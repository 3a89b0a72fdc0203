import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Exchange } from '../exchange.ts';
import type { FileRecord } from '../item-store.ts';
import { checkItemName } from '../item-names.ts';
import type { LocalboxContext } from '../localbox-context.ts';
import { badRequest, LocalboxError, notFound } from '../localbox-error.ts';
import { boundaryOf, readMultipart, type MultipartSink } from '../multipart-reader.ts';
import { fileFull } from '../views.ts';
import { assertNameFree } from './session-routes.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../../shared/file-modes.ts';

interface UploadAttributes {
  name: string | undefined;
  parentId: string | undefined;
  contentCreatedAt: string | undefined;
  contentModifiedAt: string | undefined;
  description: string | undefined;
}

function parseAttributes(json: string): UploadAttributes {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw badRequest('The attributes part is not valid JSON');
  }
  if (typeof value !== 'object' || value === null) throw badRequest('The attributes part must be a JSON object');
  const record = value as Record<string, unknown>;
  const parent = record['parent'] as Record<string, unknown> | undefined;
  const text = (key: string): string | undefined =>
    typeof record[key] === 'string' ? (record[key] as string) : undefined;
  return {
    name: record['name'] === undefined ? undefined : checkItemName(record['name']),
    parentId: typeof parent?.['id'] === 'string' ? parent['id'] : undefined,
    contentCreatedAt: text('content_created_at'),
    contentModifiedAt: text('content_modified_at'),
    description: text('description'),
  };
}

/** Checks what the attributes say as soon as they arrive, before any file byte is stored. */
function checkTarget(context: LocalboxContext, attributes: UploadAttributes, existing: FileRecord | undefined): void {
  if (existing) {
    if (attributes.name !== undefined)
      assertNameFree(context, existing.parentId, attributes.name, { exceptId: existing.id });
    return;
  }
  if (attributes.name === undefined) throw badRequest('attributes.name is required');
  if (attributes.parentId === undefined) throw badRequest('attributes.parent.id is required');
  if (!context.items.folder(attributes.parentId)) throw notFound(`Folder ${attributes.parentId} not found`);
  assertNameFree(context, attributes.parentId, attributes.name);
}

/**
 * POST /api/2.0/files/content (new file, 201) and /api/2.0/files/{id}/content (new version, 200).
 * Box: `attributes` must come before `file` (else 400 metadata_after_file_contents); an optional
 * `content-md5` header carries the SHA-1 hex of the file (400 bad_digest when it differs).
 */
export async function directUpload(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const fileId = exchange.params['fileId'];
  const existing = fileId === undefined ? undefined : context.items.file(fileId);
  if (fileId !== undefined && !existing) throw notFound(`File ${fileId} not found`);
  if (existing) {
    const ifMatch = exchange.header('if-match');
    if (ifMatch !== undefined && ifMatch !== String(existing.etag)) {
      throw new LocalboxError(412, 'precondition_failed', 'The file changed since the etag in If-Match');
    }
  }
  const boundary = boundaryOf(exchange.header('content-type'));
  const versionId = context.items.newVersionId();
  const blobDir = context.items.blobDir(versionId);
  const contentPath = join(blobDir, '0.part');
  let attributes: UploadAttributes | undefined;
  let received: { sizeBytes: number; sha1: string } | undefined;
  let content: ReturnType<typeof fileSink> | undefined;
  await mkdir(blobDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  try {
    await readMultipart(exchange.body(), boundary, (part): MultipartSink => {
      if (part.name === 'attributes') {
        if (received) throw badRequest('attributes must come before the file', 'metadata_after_file_contents');
        const chunks: Buffer[] = [];
        return {
          write: (chunk) => {
            chunks.push(chunk);
            if (chunks.reduce((sum, each) => sum + each.length, 0) > 1024 * 1024)
              throw badRequest('attributes are too large');
          },
          end: () => {
            attributes = parseAttributes(Buffer.concat(chunks).toString('utf8'));
            checkTarget(context, attributes, existing);
          },
        };
      }
      // Box takes the file part whatever its field name: rclone names it "contents", the SDKs
      // "file" (box-api.md section 16). The first part after the attributes is the file.
      if (content) return { write: () => undefined, end: () => undefined };
      if (!attributes) throw badRequest('attributes must come before the file', 'metadata_after_file_contents');
      const inOwnSpace = context.user.ownsFolder(context.items, existing?.parentId ?? attributes.parentId);
      content = fileSink(context, contentPath, inOwnSpace, (result) => (received = result));
      return content;
    });
    if (!attributes) throw badRequest('The upload has no attributes part');
    if (!received) throw badRequest('The upload has no file part');
    const expectedSha1 = exchange.header('content-md5');
    if (expectedSha1 !== undefined && expectedSha1.toLowerCase() !== received.sha1) {
      throw new LocalboxError(400, 'bad_digest', 'The content-md5 header (SHA-1) does not match the file');
    }
    checkTarget(context, attributes, existing); // names may have been taken while the bytes arrived
    const stored = {
      sha1: received.sha1,
      sizeBytes: received.sizeBytes,
      segments: [contentPath.slice(context.dataDir.length + 1)],
      contentCreatedAt: attributes.contentCreatedAt,
      contentModifiedAt: attributes.contentModifiedAt,
      description: attributes.description,
    };
    const file = existing
      ? await context.items.addVersion(existing, stored, versionId, attributes.name)
      : await context.items.createFile(attributes.name ?? '', attributes.parentId ?? '', stored, versionId);
    const owner = context.user.ownerView(context.items, file.parentId);
    context.user.added(stored.sizeBytes, context.user.ownsFolder(context.items, file.parentId));
    await exchange.json(existing ? 200 : 201, {
      total_count: 1,
      entries: [fileFull(context.items, file, owner, exchange.origin)],
    });
  } catch (error) {
    content?.discard();
    await rm(blobDir, { recursive: true, force: true });
    throw error;
  }
}

function fileSink(
  context: LocalboxContext,
  path: string,
  inOwnSpace: boolean,
  done: (result: { sizeBytes: number; sha1: string }) => void,
): MultipartSink & { discard(): void } {
  const hash = createHash('sha1');
  const out = createWriteStream(`${path}.tmp`, { mode: PRIVATE_FILE_MODE });
  out.on('error', () => undefined); // reported through once/finished; see part-upload.ts
  let sizeBytes = 0;
  return {
    async write(chunk) {
      sizeBytes += chunk.length;
      if (sizeBytes > context.options.maxDirectUploadBytes) {
        out.destroy();
        throw new LocalboxError(413, 'request_entity_too_large', 'Direct uploads are limited; use an upload session');
      }
      try {
        // A direct upload declares no size: the quota is checked before each chunk is written,
        // so a file that does not fit is refused before its last byte, and nothing is kept.
        context.user.assertFits(sizeBytes, inOwnSpace);
      } catch (error) {
        out.destroy();
        throw error;
      }
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    },
    async end() {
      out.end();
      await finished(out);
      await rename(`${path}.tmp`, path);
      done({ sizeBytes, sha1: hash.digest('hex') });
    },
    discard() {
      out.destroy();
    },
  };
}

/** OPTIONS /2.0/files/content {name, size, parent}: would an upload be accepted, and where to send it. */
export async function preflight(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const body = (await exchange.readJson()) as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) throw badRequest('The preflight body must be a JSON object');
  const fileId = exchange.params['fileId'];
  const existing = fileId === undefined ? undefined : context.items.file(fileId);
  if (fileId !== undefined && !existing) throw notFound(`File ${fileId} not found`);
  const size = body['size'];
  if (size !== undefined && (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)) {
    throw badRequest('size must be a whole number of bytes');
  }
  const parent = body['parent'] as Record<string, unknown> | undefined;
  const folderId = existing?.parentId ?? (typeof parent?.['id'] === 'string' ? parent['id'] : undefined);
  if (typeof size === 'number') context.user.assertFits(size, context.user.ownsFolder(context.items, folderId));
  const attributes: UploadAttributes = {
    name: body['name'] === undefined ? undefined : checkItemName(body['name']),
    parentId: typeof parent?.['id'] === 'string' ? parent['id'] : undefined,
    contentCreatedAt: undefined,
    contentModifiedAt: undefined,
    description: undefined,
  };
  checkTarget(context, attributes, existing);
  const path = existing ? `/api/2.0/files/${existing.id}/content` : '/api/2.0/files/content';
  await exchange.json(200, { upload_url: `${exchange.origin}${path}`, upload_token: exchange.requestId });
}
