import { rename } from 'node:fs/promises';
import type { Exchange } from '../exchange.ts';
import type { FaultAction } from '../faults.ts';
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
  // rclone's Box backend meets parts_mismatch for a while after the last part and waits it out.
  if (Date.now() - session.lastPartStoredAtMs < context.answers.partsSettleMs) {
    throw partsMismatch('The parts are still being processed');
  }
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
  const folderId = existing?.parentId ?? record.folderId ?? '';
  const inOwnSpace = context.user.ownsFolder(context.items, folderId);
  context.user.assertFits(record.fileSizeBytes, inOwnSpace);
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
  context.user.added(record.fileSizeBytes, inOwnSpace);
  record.state = 'committed';
  record.committedFileId = file.id;
  await session.persist();
  return file;
}

const committing = new WeakMap<UploadSession, Promise<FileRecord>>();

/** A commit of a committed session (its first answer was lost), answered as `answers.commitReplay` says. */
function replayedCommitError(answer: 400 | 404 | 409 | 410): LocalboxError {
  const message = 'The upload session was already committed';
  switch (answer) {
    case 400:
      return badRequest(message);
    case 404:
      return notFound(message);
    case 409:
      return new LocalboxError(409, 'conflict', message);
    case 410:
      return new LocalboxError(410, 'session_expired', message);
  }
}

/**
 * POST {commit}. Box does not document a commit of an already committed session (box-api.md
 * section 8 "unknown"); by default localbox answers 201 with the same file again, and tests switch
 * it to 200, 400, 404, 409 or 410 (box-answers.ts): the client must find out what happened itself.
 * The fault `accepted` with `commits` commits and then answers 202, as Box might.
 */
export async function commitSession(exchange: Exchange, context: LocalboxContext, fault?: FaultAction): Promise<void> {
  const session = usableSession(context, exchange.params['sessionId']);
  let pending = committing.get(session);
  const replay = !pending && session.record.state !== 'open';
  if (!pending && session.record.state === 'open') {
    pending = commit(exchange, context, session).finally(() => committing.delete(session));
    committing.set(session, pending);
  }
  const answer = replay ? context.answers.commitReplay : 201;
  if (answer !== 200 && answer !== 201) throw replayedCommitError(answer);
  const file = pending ? await pending : context.items.file(session.record.committedFileId ?? '');
  if (!file) throw notFound('The committed file no longer exists');
  if (fault?.kind === 'accepted' && fault.commits) {
    // Box may finish a commit it answered 202 (undocumented): the file is there, the answer says "not yet".
    await exchange.empty(202, { 'retry-after': String(fault.retryAfterSeconds) });
    return;
  }
  await exchange.json(answer, {
    total_count: 1,
    entries: [fileFull(context.items, file, context.user.ownerView(context.items, file.parentId), exchange.origin)],
  });
}
