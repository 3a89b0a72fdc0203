import { rename } from 'node:fs/promises';
import type { Exchange } from '../exchange.ts';
import type { FileRecord } from '../item-store.ts';
import { usableSession, type LocalboxContext } from '../localbox-context.ts';
import { badRequest, LocalboxError, notFound } from '../localbox-error.ts';
import { parseDigest } from '../part-headers.ts';
import type { StoredPart, UploadSession } from '../session-store.ts';
import { fileFull } from '../views.ts';
import { assertNameFree } from './session-routes.ts';

const partsMismatch = (message: string): LocalboxError => new LocalboxError(400, 'parts_mismatch', message);

/** Box: the commit's parts must be the session's parts, complete and ordered by offset. */
function checkParts(session: UploadSession, sent: unknown): void {
  if (!Array.isArray(sent)) throw badRequest('parts must be an array of the uploaded parts');
  const stored = session.sortedParts();
  if (stored.length !== session.record.totalParts) {
    throw partsMismatch(`The session has ${stored.length} of ${session.record.totalParts} parts`);
  }
  if (sent.length !== stored.length) {
    throw partsMismatch(`The commit lists ${sent.length} parts; the session has ${stored.length}`);
  }
  stored.forEach((part, index) => {
    const claimed = sent[index] as Partial<StoredPart> | null;
    const same =
      claimed !== null &&
      typeof claimed === 'object' &&
      claimed.part_id === part.part_id &&
      claimed.offset === part.offset &&
      claimed.size === part.size &&
      (claimed.sha1 === undefined || claimed.sha1 === part.sha1);
    if (!same)
      throw partsMismatch(`Part ${index} in the commit does not match the uploaded part at offset ${part.offset}`);
  });
}

function checkPreconditions(exchange: Exchange, file: FileRecord | undefined): void {
  const ifMatch = exchange.header('if-match');
  if (ifMatch !== undefined && (!file || ifMatch !== String(file.etag))) {
    throw new LocalboxError(412, 'precondition_failed', 'The file changed since the etag in If-Match');
  }
  const ifNoneMatch = exchange.header('if-none-match');
  if (ifNoneMatch !== undefined && file && ifNoneMatch === String(file.etag)) {
    throw new LocalboxError(412, 'precondition_failed', 'The file still has the etag in If-None-Match');
  }
}

function attributeString(attributes: Record<string, unknown>, name: string): string | undefined {
  const value = attributes[name];
  return typeof value === 'string' ? value : undefined;
}

async function commit(exchange: Exchange, context: LocalboxContext, session: UploadSession): Promise<FileRecord> {
  const digest = parseDigest(exchange.header('digest'));
  if (digest.algorithm !== 'sha1') throw badRequest('The commit Digest must be a SHA-1 of the whole file');
  const body = (await exchange.readJson()) as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) throw badRequest('The commit body must be a JSON object');
  checkParts(session, body['parts']);
  const actual = await session.wholeFileSha1();
  if (!actual) throw partsMismatch('Some parts are not stored yet');
  if (!actual.equals(digest.value)) {
    throw new LocalboxError(
      400,
      'digest_mismatch',
      `File digest was incorrect. Actual: ${actual.toString('base64')} Expected: ${digest.value.toString('base64')}`,
    );
  }
  const { record } = session;
  const existing = record.fileId === null ? undefined : context.items.file(record.fileId);
  if (record.kind === 'version' && !existing) throw notFound(`File ${record.fileId} no longer exists`);
  checkPreconditions(exchange, existing);
  // Other uploads may have used the space since the session was created.
  context.user.assertFits(record.fileSizeBytes);
  const folderId = existing?.parentId ?? record.folderId ?? '';
  const name = record.fileName ?? existing?.name ?? '';
  const checkName = (): void => assertNameFree(context, folderId, name, existing ? { exceptId: existing.id } : {});
  checkName();

  const attributes = (
    typeof body['attributes'] === 'object' && body['attributes'] !== null ? body['attributes'] : {}
  ) as Record<string, unknown>;
  const versionId = context.items.newVersionId();
  const blobDir = context.items.blobDir(versionId);
  const segments = await context.sessions.moveParts(session, blobDir, context.dataDir);
  try {
    checkName(); // the name may have been taken while the parts moved
  } catch (error) {
    await rename(blobDir, session.dir).catch(() => undefined);
    throw error;
  }
  const content = {
    sha1: actual.toString('hex'),
    sizeBytes: record.fileSizeBytes,
    segments,
    contentCreatedAt: attributeString(attributes, 'content_created_at'),
    contentModifiedAt: attributeString(attributes, 'content_modified_at'),
    description: attributeString(attributes, 'description'),
  };
  const file = existing
    ? await context.items.addVersion(existing, content, versionId, record.fileName ?? undefined)
    : await context.items.createFile(name, folderId, content, versionId);
  context.user.added(record.fileSizeBytes);
  record.state = 'committed';
  record.committedFileId = file.id;
  await session.persist();
  return file;
}

const committing = new WeakMap<UploadSession, Promise<FileRecord>>();

/**
 * POST {commit}. A commit of an already committed session answers 201 with the same file again:
 * Box does not document this case (box-api.md section 8 "unknown"); answering idempotently lets a
 * client whose commit response was lost find out that it landed.
 */
export async function commitSession(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const session = usableSession(context, exchange.params['sessionId']);
  let pending = committing.get(session);
  if (!pending && session.record.state === 'open') {
    pending = commit(exchange, context, session).finally(() => committing.delete(session));
    committing.set(session, pending);
  }
  const file = pending ? await pending : context.items.file(session.record.committedFileId ?? '');
  if (!file) throw notFound('The committed file no longer exists');
  await exchange.json(201, { total_count: 1, entries: [fileFull(context.items, file)] });
}
