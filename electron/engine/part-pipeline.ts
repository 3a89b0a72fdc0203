import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { BoxClient } from '../box/box-client.ts';
import { BoxProtocolError } from '../box/box-error.ts';
import { sameSha1, type UploadedPart } from '../box/box-types.ts';
import { type RateGate, type Slots, Wake } from './concurrency.ts';
import type { JobProgress } from './job-progress.ts';
import { FileChangedError, NetworkUnavailable, TokenRejected } from './job-stops.ts';
import { readRange, type OrderedPartReader, type ReadPart } from './part-reader.ts';
import { renewCredentials } from './renew-credentials.ts';
import { decideRetry, RETRY_LIMITS } from './retry-policy.ts';
import { findStoredPart } from './session-parts.ts';

export interface PipelineInput {
  client: BoxClient;
  uploadPartUrl: string;
  /** The session's list_parts endpoint, to learn whether a part Box says overlaps is ours. */
  listPartsUrl: string;
  fileSizeBytes: number;
  file: FileHandle;
  reader: OrderedPartReader;
  /** Parts in flight for this job (P); read on every dispatch so a new setting applies at once. */
  parallel(): number;
  /** The cap across all jobs. */
  slots: Slots;
  gate: RateGate;
  progress: JobProgress;
  signal: AbortSignal;
  credentials: { refreshed: boolean };
  random?: () => number;
  onConfirmed(index: number, part: UploadedPart): void;
}

interface RetryEntry {
  part: ReadPart;
  attempt: number;
  readyAtMs: number;
}

/**
 * Uploads every part the reader yields: up to P in flight, dispatched strictly in offset order.
 * A failed part is retried, after its backoff, before any part with a higher offset is dispatched;
 * parts already in flight carry on (DESIGN.md section 2.4). Resolves when every part is
 * confirmed; rejects with the first fatal error after in-flight parts have stopped.
 */
export async function uploadParts(input: PipelineInput): Promise<void> {
  const { progress, signal } = input;
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', onOuterAbort, { once: true });
  if (signal.aborted) onOuterAbort();
  const wake = new Wake();
  controller.signal.addEventListener('abort', () => wake.notify(), { once: true });

  const inFlight = new Map<number, Promise<void>>();
  /** Parts whose last failure was a 401 that earned a refresh: a second 401 means the token is bad. */
  const refreshedParts = new Set<number>();
  const retries: RetryEntry[] = [];
  let fatal: { error: unknown } | undefined;
  let held: ReadPart | undefined;
  let prefetch: Promise<ReadPart | undefined> | undefined;
  let readerDone = false;

  const stop = (error: unknown): void => {
    fatal ??= { error };
    controller.abort(error);
  };

  const startPrefetch = (): void => {
    if (readerDone || prefetch || held) return;
    const reading = input.reader.next();
    prefetch = reading;
    reading.catch(stop); // a read error or a changed file stops the pipeline
  };

  const confirm = (part: ReadPart, uploaded: UploadedPart): void => {
    progress.confirmed(part.index, part.sizeBytes);
    part.release();
    input.onConfirmed(part.index, uploaded);
  };

  const send = async (part: ReadPart, attempt: number): Promise<void> => {
    progress.setState(part.index, 'uploading', { attempts: attempt });
    try {
      const uploaded = await input.client.uploadPart({
        url: input.uploadPartUrl,
        bytes: part.bytes,
        offset: part.offset,
        fileSizeBytes: input.fileSizeBytes,
        sha1Base64: part.sha1Base64,
        signal: controller.signal,
        onBodyProgress: (bytesSent) => progress.sent(part.index, bytesSent),
      });
      // Box echoes what it stored; anything else means the bytes were mangled on the way.
      if (
        uploaded.offset !== part.offset ||
        uploaded.size !== part.sizeBytes ||
        !sameSha1(uploaded.sha1, part.sha1Hex)
      ) {
        throw new BoxProtocolError(`the server stored part ${part.index} differently than it was sent`);
      }
      refreshedParts.delete(part.index);
      confirm(part, uploaded);
    } catch (error) {
      if (controller.signal.aborted) return;
      await handleFailure(part, attempt, error);
    }
  };

  const handleFailure = async (part: ReadPart, attempt: number, error: unknown): Promise<void> => {
    const decision = decideRetry({
      error,
      attempt,
      operation: 'upload-part',
      part: { offset: part.offset, sizeBytes: part.sizeBytes, sha1Hex: part.sha1Hex },
      credentialsRefreshed: refreshedParts.has(part.index),
      ...(input.random ? { random: input.random } : {}),
    });
    const lastError = (error as Error).message;
    switch (decision.kind) {
      case 'part-already-stored':
        confirm(part, decision.part);
        return;
      case 'check-stored-part':
        await checkStoredPart(part, attempt, error);
        return;
      case 'retry':
        progress.setState(part.index, 'retrying', { lastError });
        if (decision.rateLimited) input.gate.pauseFor(decision.delayMs);
        if (decision.rereadPart) await reread(part);
        queueRetry({ part, attempt: attempt + 1, readyAtMs: Date.now() + decision.delayMs });
        return;
      case 'refresh-credentials': {
        input.credentials.refreshed = true;
        refreshedParts.add(part.index);
        progress.setState(part.index, 'retrying', { lastError });
        try {
          await renewCredentials(input.client, error);
          queueRetry({ part, attempt: attempt + 1, readyAtMs: Date.now() });
        } catch (renewError) {
          stop(renewError);
        }
        return;
      }
      case 'wait-for-network':
        progress.setState(part.index, 'retrying', { lastError });
        stop(new NetworkUnavailable(decision.reason));
        return;
      case 'wait-for-token':
        stop(new TokenRejected());
        return;
      case 'wait-for-sign-in':
        progress.setState(part.index, 'retrying', { lastError });
        stop(error);
        return;
      case 'fail':
        progress.setState(part.index, 'failed', { lastError });
        stop(error);
    }
  };

  /**
   * Box says the range holds a part but not which: list the parts (offset = this part's index,
   * limit 1, as box-ui-elements does; the whole list when earlier parts are missing). Ours and
   * equal: confirmed. Different bytes: the job fails. Not there: send it again.
   */
  const checkStoredPart = async (part: ReadPart, attempt: number, overlap: unknown): Promise<void> => {
    let stored: UploadedPart | undefined;
    try {
      stored = await findStoredPart(input.client, input.listPartsUrl, part, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return;
      return handleFailure(part, attempt + 1, error);
    }
    if (stored && stored.size === part.sizeBytes && sameSha1(stored.sha1, part.sha1Hex)) return confirm(part, stored);
    if (stored || attempt >= RETRY_LIMITS.maxAttempts) {
      progress.setState(part.index, 'failed', { lastError: (overlap as Error).message });
      stop(
        stored ? new BoxProtocolError(`Box already holds different bytes for part ${part.index} of the file`) : overlap,
      );
      return;
    }
    queueRetry({ part, attempt: attempt + 1, readyAtMs: Date.now() });
  };

  /** After a digest Box refused: read the part again; different bytes mean the file changed. */
  const reread = async (part: ReadPart): Promise<void> => {
    const hash = createHash('sha1');
    await readRange(input.file, part, part.bytes, (slice) => hash.update(slice));
    if (hash.digest('hex') !== part.sha1Hex) throw new FileChangedError(`part ${part.index} now reads differently`);
  };

  const queueRetry = (entry: RetryEntry): void => {
    retries.push(entry);
    retries.sort((a, b) => a.part.index - b.part.index);
  };

  const dispatch = async (part: ReadPart, attempt: number): Promise<boolean> => {
    const release = await input.slots.acquire(controller.signal);
    await input.gate.wait(controller.signal).catch((error: unknown) => {
      release();
      throw error;
    });
    // A part that failed while we waited for a slot goes first.
    if (retries.length > 0 && retries[0]!.part.index < part.index) {
      release();
      return false;
    }
    const running = send(part, attempt)
      .catch(stop)
      .finally(() => {
        release();
        inFlight.delete(part.index);
        wake.notify();
      });
    inFlight.set(part.index, running);
    return true;
  };

  try {
    startPrefetch();
    while (!controller.signal.aborted) {
      const retry = retries[0];
      if (retry) {
        const waitMs = retry.readyAtMs - Date.now();
        if (waitMs > 0 || inFlight.size >= input.parallel()) {
          await wake.wait(waitMs > 0 ? waitMs : undefined);
          continue;
        }
        retries.shift();
        if (!(await dispatch(retry.part, retry.attempt))) queueRetry(retry);
        continue;
      }
      if (!held) {
        if (readerDone) {
          if (inFlight.size === 0) break;
          await wake.wait();
          continue;
        }
        startPrefetch();
        const reading = prefetch!;
        const next = await Promise.race([reading, wake.wait().then(() => 'woken' as const)]);
        if (next === 'woken') continue;
        prefetch = undefined;
        if (next === undefined) readerDone = true;
        else held = next;
        continue;
      }
      if (inFlight.size >= input.parallel()) {
        await wake.wait();
        continue;
      }
      const part = held;
      held = undefined;
      if (!(await dispatch(part, 1))) held = part;
      startPrefetch();
    }
  } catch (error) {
    stop(error);
  } finally {
    signal.removeEventListener('abort', onOuterAbort);
    if (fatal || signal.aborted) controller.abort(fatal?.error ?? signal.reason);
    await Promise.allSettled(inFlight.values());
    const pending = await prefetch?.catch(() => undefined);
    pending?.release();
    held?.release();
    for (const entry of retries) entry.part.release();
  }
  if (fatal) throw fatal.error;
  if (signal.aborted) throw signal.reason;
}
