import { MAX_LIST_PARTS_LIMIT, MAX_LIST_PARTS_OFFSET } from '../../../shared/box-limits.ts';
import type { Exchange } from '../exchange.ts';
import type { FaultAction } from '../faults.ts';
import { checkItemName } from '../item-names.ts';
import { conflictInfo, usableSession, type LocalboxContext } from '../localbox-context.ts';
import { badRequest, LocalboxError, notFound } from '../localbox-error.ts';
import type { SessionRecord, UploadSession } from '../session-store.ts';
import { sessionView, fileMini, folderMini } from '../views.ts';

/** Where this session's endpoints point: the configured base, else the host the client addressed. */
function endpointBase(exchange: Exchange, context: LocalboxContext): string {
  return context.options.sessionEndpointBase ?? `${exchange.origin}/api/2.0`;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/**
 * 409 item_name_in_use when `name` is taken in `folderId` by another item. Box's clients read
 * `conflicts` as one object for files and as an array for folders (box-api.md section 0.10).
 */
export function assertNameFree(
  context: LocalboxContext,
  folderId: string,
  name: string,
  options: { exceptId?: string; conflictsAsArray?: boolean } = {},
): void {
  const taken = context.items.childByName(folderId, name);
  if (!taken || taken.id === options.exceptId) return;
  const file = taken.type === 'file' ? context.items.file(taken.id) : undefined;
  const folder = taken.type === 'folder' ? context.items.folder(taken.id) : undefined;
  const mini = file ? fileMini(file) : folder ? folderMini(folder) : undefined;
  if (!mini) return;
  throw new LocalboxError(409, 'item_name_in_use', 'Item with the same name already exists', {
    contextInfo: conflictInfo(context, mini, options.conflictsAsArray ?? false),
  });
}

/** `folderId`: where the file goes, whose owner's space it uses. */
function checkFileSize(context: LocalboxContext, value: unknown, folderId: string): number {
  if (value === undefined || value === null) throw badRequest('file_size is required', 'missing_file_size');
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badRequest('file_size must be a whole number of bytes', 'invalid_file_size');
  }
  // Box's exact threshold is undocumented ("20 MB"): 20,000,000 bytes unless told 20 MiB (box-answers.ts).
  const minimumBytes = context.answers.minSessionFileBytes;
  if (value < minimumBytes) {
    throw badRequest(`Upload sessions need at least ${minimumBytes} bytes`, 'file_size_too_small');
  }
  // 403 file_size_limit_exceeded / storage_limit_exceeded before anything is stored.
  context.user.assertFits(value, context.user.ownsFolder(context.items, folderId));
  return value;
}

type SessionTarget =
  { kind: 'file'; folderId: string; fileName: string } | { kind: 'version'; fileId: string; fileName: string | null };

/** An open session an earlier create of the same file made: what a replayed create would find. */
function earlierSession(context: LocalboxContext, fields: Partial<SessionRecord>): UploadSession | undefined {
  return context.sessions
    .all()
    .filter((session) => session.record.state === 'open' && !session.isExpired())
    .filter((session) =>
      Object.entries(fields).every(([key, value]) => session.record[key as keyof SessionRecord] === value),
    )
    .at(-1);
}

async function createSession(
  exchange: Exchange,
  context: LocalboxContext,
  target: SessionTarget,
  fileSizeBytes: number,
  fault: FaultAction | undefined,
): Promise<void> {
  const partSizeBytes = context.options.partSizeRule(fileSizeBytes);
  const fields = {
    kind: target.kind,
    folderId: target.kind === 'file' ? target.folderId : null,
    fileId: target.kind === 'version' ? target.fileId : null,
    fileName: target.fileName,
    fileSizeBytes,
  };
  const replayed = fault?.kind === 'session-conflict' ? earlierSession(context, fields) : undefined;
  const session =
    replayed ??
    (await context.sessions.create({
      ...fields,
      partSizeBytes,
      totalParts: Math.ceil(fileSizeBytes / partSizeBytes),
      expiresAtMs: Date.now() + context.options.sessionLifetimeMs,
    }));
  if (fault?.kind === 'session-conflict') {
    if (fault.expired) {
      session.record.expiresAtMs = Date.now() - 1;
      await session.persist();
    }
    // box-ui-elements (MultiputUpload.js) continues with `context_info.session` on this answer.
    throw new LocalboxError(409, 'session_conflict', 'An upload session for this file already exists', {
      contextInfo: { session: sessionView(session, endpointBase(exchange, context)) },
    });
  }
  await exchange.json(201, sessionView(session, endpointBase(exchange, context)));
}

/** POST /api/2.0/files/upload_sessions {folder_id, file_size, file_name} */
export async function createFileSession(
  exchange: Exchange,
  context: LocalboxContext,
  fault?: FaultAction,
): Promise<void> {
  const body = objectBody(await exchange.readJson());
  const folderId = body['folder_id'];
  if (folderId === undefined || folderId === null) throw badRequest('folder_id is required', 'missing_destination');
  if (typeof folderId !== 'string' || !/^\d+$/.test(folderId)) {
    throw badRequest('folder_id must be a folder id string', 'invalid_folder_id');
  }
  if (body['file_name'] === undefined) throw badRequest('file_name is required', 'missing_file_name');
  const fileName = checkItemName(body['file_name']);
  const fileSizeBytes = checkFileSize(context, body['file_size'], folderId);
  if (!context.items.folder(folderId)) {
    throw new LocalboxError(404, 'invalid_parameter', `Folder ${folderId} does not exist or is not visible`);
  }
  assertNameFree(context, folderId, fileName);
  await createSession(exchange, context, { kind: 'file', folderId, fileName }, fileSizeBytes, fault);
}

/** POST /api/2.0/files/{file_id}/upload_sessions {file_size, file_name?} */
export async function createVersionSession(
  exchange: Exchange,
  context: LocalboxContext,
  fault?: FaultAction,
): Promise<void> {
  const body = objectBody(await exchange.readJson());
  const file = context.items.file(exchange.params['fileId'] ?? '');
  if (!file) throw notFound(`File ${exchange.params['fileId']} not found`);
  const fileName = body['file_name'] === undefined ? null : checkItemName(body['file_name']);
  const fileSizeBytes = checkFileSize(context, body['file_size'], file.parentId);
  if (fileName !== null) assertNameFree(context, file.parentId, fileName, { exceptId: file.id });
  await createSession(exchange, context, { kind: 'version', fileId: file.id, fileName }, fileSizeBytes, fault);
}

/**
 * A committed session asked for its status or parts. Box documents neither; its own SDK test
 * aborts a session right after committing it and expects success, so the session outlives its
 * commit: localbox answers with it (200) unless told to say it is gone (404 or 410).
 */
function checkCommittedSession(session: UploadSession, answer: 200 | 404 | 410): void {
  if (session.record.state !== 'committed' || answer === 200) return;
  if (answer === 410) throw new LocalboxError(410, 'session_expired', 'The upload session was committed and is gone');
  throw notFound('Upload session was committed');
}

/** GET {status}: the session as created, with num_parts_processed. */
export async function getSession(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const session = usableSession(context, exchange.params['sessionId']);
  checkCommittedSession(session, context.answers.committedStatus);
  await exchange.json(200, sessionView(session, endpointBase(exchange, context)));
}

/** A whole-number query parameter within [min, max]; absent gives `fallback`; else a 400 with `code`. */
export function pagingParameter(
  exchange: Exchange,
  name: string,
  fallback: number,
  min: number,
  max: number,
  code: string,
): number {
  const raw = exchange.url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw badRequest(`${name} must be a whole number from ${min} to ${max}`, code);
  }
  return value;
}

/** GET {list_parts}?offset=&limit=: `offset` is an entry index; total_count is total_parts. */
export async function listParts(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const session = usableSession(context, exchange.params['sessionId']);
  checkCommittedSession(session, context.answers.committedListParts);
  const asked = pagingParameter(exchange, 'limit', MAX_LIST_PARTS_LIMIT, 1, MAX_LIST_PARTS_LIMIT, 'invalid_limit');
  const limit = Math.min(asked, context.answers.listPartsPageMax);
  const offset = pagingParameter(exchange, 'offset', 0, 0, MAX_LIST_PARTS_OFFSET, 'invalid_offset');
  const entries = session.sortedParts().slice(offset, offset + limit);
  await exchange.json(200, { total_count: session.record.totalParts, limit, offset, entries });
}

/**
 * DELETE {abort}: discards every part; the session is gone afterwards. On a committed session it
 * succeeds and leaves the file alone: Box's own Node SDK test (chunked uploads) aborts right
 * after committing and expects no error.
 */
export async function abortSession(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const session = usableSession(context, exchange.params['sessionId']);
  if (session.record.state === 'committed') {
    session.record.state = 'aborted';
    await session.persist();
    return exchange.empty(204);
  }
  session.record.state = 'aborted';
  await session.advanceHash().catch(() => undefined);
  await context.sessions.discardParts(session);
  await session.persist();
  await exchange.empty(204);
}

/** POST {log_event}: Box's telemetry endpoint; accepted and ignored. */
export async function logSessionEvent(exchange: Exchange, context: LocalboxContext): Promise<void> {
  usableSession(context, exchange.params['sessionId']);
  await exchange.readJson();
  await exchange.empty(204);
}
