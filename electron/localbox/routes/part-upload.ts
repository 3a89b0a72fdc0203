import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { shaperFor, takeFromShapers } from '../connection-shaper.ts';
import type { Exchange } from '../exchange.ts';
import type { FaultAction } from '../faults.ts';
import { usableSession, type LocalboxContext } from '../localbox-context.ts';
import { badRequest, LocalboxError, notFound } from '../localbox-error.ts';
import type { PartAttempt } from '../localbox-stats.ts';
import { parseContentRange, parseDigest, type ContentRange } from '../part-headers.ts';
import type { UploadSession } from '../session-store.ts';
import { PRIVATE_FILE_MODE } from '../../../shared/file-modes.ts';

const rangeError = (message: string): LocalboxError =>
  new LocalboxError(416, 'requested_range_not_satisfiable', message);

/** Box: the first byte is a multiple of part_size and every part but the last is exactly part_size. */
function partIndexFor(session: UploadSession, range: ContentRange): number {
  const { fileSizeBytes, partSizeBytes } = session.record;
  if (range.totalBytes !== fileSizeBytes) {
    throw rangeError(`Content-Range total ${range.totalBytes} does not match the session's file size ${fileSizeBytes}`);
  }
  if (range.lastByte >= fileSizeBytes)
    throw rangeError(`Content-Range ends past the end of the file (${fileSizeBytes} bytes)`);
  if (range.firstByte % partSizeBytes !== 0) {
    throw rangeError(`Content-Range must start at a multiple of the part size ${partSizeBytes}`);
  }
  const index = range.firstByte / partSizeBytes;
  const expected = session.expectedPartSize(index);
  const length = range.lastByte - range.firstByte + 1;
  if (length !== expected) throw rangeError(`Part ${index} must be ${expected} bytes; Content-Range says ${length}`);
  return index;
}

/** Waits for a PUT of the same range that is still streaming, so its outcome decides ours. */
async function waitForSameRange(session: UploadSession, index: number): Promise<void> {
  const receiving = session.receiving.get(index);
  if (!receiving) return;
  const gaveUp = Symbol('gave up');
  const outcome = await Promise.race([receiving, delay(30_000, gaveUp, { ref: false })]);
  if (outcome === gaveUp)
    throw new LocalboxError(409, 'conflict', `A part for this range (part ${index}) is still being received`);
}

interface ReceivedBody {
  bytes: number;
  digest: Buffer;
  sha1Hex: string;
}

/** Streams the body to `path`, hashing and counting; shapes bandwidth and applies mid-body faults. */
async function receiveBody(
  exchange: Exchange,
  context: LocalboxContext,
  path: string,
  lengthBytes: number,
  algorithm: 'sha1' | 'sha256',
  attempt: PartAttempt | undefined,
  fault: FaultAction | undefined,
): Promise<ReceivedBody> {
  const sha1 = createHash('sha1');
  const other = algorithm === 'sha256' ? createHash('sha256') : undefined;
  const bandwidth = context.options.connBandwidthBytesPerSec;
  const shaper = bandwidth ? shaperFor(exchange.req.socket, bandwidth) : undefined;
  const resetAfterBytes = fault?.kind === 'reset-mid-body' ? fault.afterBytes : undefined;
  let bytes = 0;
  const file = createWriteStream(path, { mode: PRIVATE_FILE_MODE });
  // Errors surface through `once`/`finished` below; after a destroy, late write callbacks may
  // still report one, which must not become an uncaught exception.
  file.on('error', () => undefined);
  try {
    for await (const chunk of exchange.body()) {
      bytes += chunk.length;
      if (attempt) context.stats.partBodyBytes(attempt, chunk.length);
      if (resetAfterBytes !== undefined && bytes >= resetAfterBytes) {
        exchange.req.socket.destroy();
        throw new Error('connection reset by an injected fault');
      }
      if (bytes > lengthBytes)
        throw badRequest(`The body is longer than the ${lengthBytes} bytes Content-Range announced`);
      sha1.update(chunk);
      other?.update(chunk);
      if (!file.write(chunk)) await once(file, 'drain');
      const waitMs = takeFromShapers([shaper, context.totalShaper], chunk.length);
      if (waitMs > 0) await delay(waitMs);
    }
    file.end();
    await finished(file);
  } catch (error) {
    file.destroy();
    throw error;
  }
  const sha1Digest = sha1.digest();
  return { bytes, digest: other ? other.digest() : sha1Digest, sha1Hex: sha1Digest.toString('hex') };
}

/** PUT {upload_part}: one part, checked against the session, streamed to disk, never held whole. */
export async function uploadPart(
  exchange: Exchange,
  context: LocalboxContext,
  fault: FaultAction | undefined,
  attempt: PartAttempt | undefined,
): Promise<void> {
  const session = usableSession(context, exchange.params['sessionId']);
  if (session.record.state !== 'open') throw notFound('Upload session was committed');
  const { answers } = context;
  const range = parseContentRange(exchange.header('content-range'));
  const digest = parseDigest(exchange.header('digest'));
  const index = partIndexFor(session, range);
  const lengthBytes = range.lastByte - range.firstByte + 1;
  const declared = exchange.header('content-length');
  if (declared !== undefined && Number(declared) !== lengthBytes) {
    throw badRequest(`Content-Length ${declared} does not match the Content-Range length ${lengthBytes}`);
  }
  await waitForSameRange(session, index);
  const existing = session.parts.get(index);
  if (existing) {
    // Box's Android app reads conflicting_part; box-ui-elements lists parts instead: both must work.
    // The status is 416 or 409 as told (box-answers.ts): Box's guide names only the code.
    throw new LocalboxError(
      answers.overlapStatus,
      'range_overlaps_existing_part',
      'Part range overlaps with an existing part',
      {
        ...(answers.overlapConflictingPart === 'full' ? { contextInfo: { conflicting_part: existing } } : {}),
      },
    );
  }

  let settle = (): void => undefined;
  session.receiving.set(index, new Promise<void>((resolve) => (settle = resolve)));
  const temporary = session.temporaryPartPath(index);
  try {
    const body = await receiveBody(exchange, context, temporary, lengthBytes, digest.algorithm, attempt, fault);
    if (body.bytes !== lengthBytes) {
      throw badRequest(`The body had ${body.bytes} bytes; Content-Range announced ${lengthBytes}`);
    }
    if (!body.digest.equals(digest.value)) {
      // Box's spec lists 412 for this PUT; its documented digest codes are 400s (box-api.md section 4).
      throw answers.partDigestMismatch === 400
        ? badRequest('The Digest header does not match the part body', 'bad_digest')
        : new LocalboxError(412, 'precondition_failed', 'The Digest header does not match the part body');
    }
    if (session.record.state !== 'open') throw notFound('Upload session was aborted');
    await rename(temporary, session.partPath(index));
    const part = {
      part_id: randomBytes(4).toString('hex').toUpperCase(),
      offset: range.firstByte,
      size: lengthBytes,
      sha1: body.sha1Hex,
    };
    await session.addPart(index, part);
    context.stats.partStored();
    await exchange.json(200, { part });
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  } finally {
    session.receiving.delete(index);
    settle();
  }
}
