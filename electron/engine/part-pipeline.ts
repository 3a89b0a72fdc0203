import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { BoxClient } from '../box/box-client.ts';
import { BoxProtocolError } from '../box/box-error.ts';
import { sameSha1, type StoredPart } from '../box/box-types.ts';
import { type RateGate, type Slots, Wake } from './concurrency.ts';
import type { JobProgress } from './job-progress.ts';
import type { PartsInFlight } from './parallel-controller.ts';
import { FileChangedError } from './job-stops.ts';
import { readRange, type OrderedPartReader, type ReadPart } from './part-reader.ts';
import { renewCredentials } from './renew-credentials.ts';
import { backoffMs, decideRetry, RETRY_LIMITS } from './retry-policy.ts';
import { findStoredPart } from './session-parts.ts';
import { stopFor } from './with-retries.ts';

/** What the part pipeline sends, where, and whom it tells of each part. */
export interface PipelineInput {
  client: BoxClient;
  uploadPartUrl: string;
  /** The session's listParts endpoint, to learn whether a part Box says overlaps is ours. */
  listPartsUrl: string;
  fileSizeBytes: number;
  file: FileHandle;
  reader: OrderedPartReader;
  /**
   * Parts in flight for this job (P): read on every dispatch, so a new setting applies at once;
   * for "auto" it is told how each part went (parallel-controller.ts).
   */
  parallel: PartsInFlight;
  /** The cap across all jobs. */
  slots: Slots;
  gate: RateGate;
  progress: JobProgress;
  signal: AbortSignal;
  random?: () => number;
  onConfirmed(index: number, part: StoredPart): void;
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
export function uploadParts(input: PipelineInput): Promise<void> {
  return new PartPipeline(input).run();
}

/**
 * One run of the pipeline. The loop in run() takes one named step at a time:
 *
 * ```
 *            ┌─ a retry is due first ──> retryFirst ──> dispatch (or wait for its backoff / a slot)
 *   run ─────┼─ no part in hand ───────> readNext  (the reader's next part, in offset order)
 *            ├─ a part in hand ────────> dispatchHeld (when fewer than P are in flight)
 *            └─ reader done, none in flight ──> finish
 * ```
 *
 * Each part in flight runs send → confirm, or send → handleFailure → (queueRetry | checkStoredPart
 * | stop). Only the loop dispatches, so offset order holds.
 */
class PartPipeline {
  readonly #input: PipelineInput;
  /** Aborted by the outer signal or by the first fatal error: in-flight parts stop. */
  readonly #controller = new AbortController();
  readonly #wake = new Wake();
  readonly #inFlight = new Map<number, Promise<void>>();
  /** Parts whose last failure was a 401 that earned a refresh: a second 401 means the token is bad. */
  readonly #refreshedParts = new Set<number>();
  /** Failed parts waiting for their backoff, lowest offset first. */
  readonly #retries: RetryEntry[] = [];
  #fatal: { error: unknown } | undefined;
  /** The next part from the reader, read and hashed, waiting for a slot. */
  #held: ReadPart | undefined;
  #prefetch: Promise<ReadPart | undefined> | undefined;
  #readerDone = false;

  constructor(input: PipelineInput) {
    this.#input = input;
  }

  get #signal(): AbortSignal {
    return this.#controller.signal;
  }

  async run(): Promise<void> {
    const outer = this.#input.signal;
    const onOuterAbort = (): void => this.#controller.abort(outer.reason);
    outer.addEventListener('abort', onOuterAbort, { once: true });
    if (outer.aborted) onOuterAbort();
    this.#signal.addEventListener('abort', () => this.#wake.notify(), { once: true });
    try {
      this.#startPrefetch();
      while (!this.#signal.aborted) {
        if (this.#retries.length > 0) await this.#retryFirst();
        else if (this.#held) await this.#dispatchHeld();
        else if (!this.#readerDone) await this.#readNext();
        else if (this.#inFlight.size > 0) await this.#wake.wait();
        else break;
      }
    } catch (error) {
      this.#stop(error);
    } finally {
      outer.removeEventListener('abort', onOuterAbort);
      await this.#finish();
    }
    if (this.#fatal) throw this.#fatal.error;
    if (outer.aborted) throw outer.reason;
  }

  #stop = (error: unknown): void => {
    this.#fatal ??= { error };
    this.#controller.abort(error);
  };

  /** Step: the lowest failed part goes again once its backoff has passed and a slot is free. */
  async #retryFirst(): Promise<void> {
    const retry = this.#retries[0]!;
    const waitMs = retry.readyAtMs - Date.now();
    if (waitMs > 0 || this.#inFlight.size >= this.#input.parallel.limit()) {
      await this.#wake.wait(waitMs > 0 ? waitMs : undefined);
      return;
    }
    this.#retries.shift();
    if (!(await this.#dispatch(retry.part, retry.attempt))) this.#queueRetry(retry);
  }

  /** Step: take the reader's next part (or learn it has none), unless something wakes us first. */
  async #readNext(): Promise<void> {
    this.#startPrefetch();
    const reading = this.#prefetch!;
    const next = await Promise.race([reading, this.#wake.wait().then(() => 'woken' as const)]);
    if (next === 'woken') return;
    this.#prefetch = undefined;
    if (next === undefined) this.#readerDone = true;
    else this.#held = next;
  }

  /** Step: send the part in hand when fewer than P are in flight, and start reading the next. */
  async #dispatchHeld(): Promise<void> {
    if (this.#inFlight.size >= this.#input.parallel.limit()) {
      await this.#wake.wait();
      return;
    }
    const part = this.#held!;
    this.#held = undefined;
    if (!(await this.#dispatch(part, 1))) this.#held = part;
    this.#startPrefetch();
  }

  /** Reads one part ahead while others are in flight (the pool bounds how far). */
  #startPrefetch(): void {
    if (this.#readerDone || this.#prefetch || this.#held) return;
    const reading = this.#input.reader.next();
    this.#prefetch = reading;
    reading.catch(this.#stop); // a read error or a changed file stops the pipeline
  }

  /** Takes a slot of the global cap and waits out a 429 pause; false when a retry must go first. */
  async #dispatch(part: ReadPart, attempt: number): Promise<boolean> {
    const release = await this.#input.slots.acquire(this.#signal);
    await this.#input.gate.wait(this.#signal).catch((error: unknown) => {
      release();
      throw error;
    });
    // A part that failed while we waited for a slot goes first.
    if (this.#retries.length > 0 && this.#retries[0]!.part.index < part.index) {
      release();
      return false;
    }
    const running = this.#send(part, attempt)
      .catch(this.#stop)
      .finally(() => {
        release();
        this.#inFlight.delete(part.index);
        this.#wake.notify();
      });
    this.#inFlight.set(part.index, running);
    return true;
  }

  async #send(part: ReadPart, attempt: number): Promise<void> {
    const input = this.#input;
    input.progress.setState(part.index, 'uploading', { attempts: attempt });
    const startedAtMs = input.parallel.now();
    try {
      const uploaded = await input.client.uploadPart({
        url: input.uploadPartUrl,
        bytes: part.bytes,
        offset: part.offset,
        fileSizeBytes: input.fileSizeBytes,
        sha1Base64: part.sha1Base64,
        signal: this.#signal,
        onBodyProgress: (bytesSent) => input.progress.sent(part.index, bytesSent),
      });
      // Box echoes what it stored; anything else means the bytes were mangled on the way.
      if (
        uploaded.offsetBytes !== part.offset ||
        uploaded.sizeBytes !== part.sizeBytes ||
        !sameSha1(uploaded.sha1Hex, part.sha1Hex)
      ) {
        throw new BoxProtocolError(`the server stored part ${part.index} differently than it was sent`);
      }
      this.#refreshedParts.delete(part.index);
      input.parallel.partDone(part.sizeBytes, startedAtMs);
      this.#confirm(part, uploaded);
    } catch (error) {
      if (this.#signal.aborted) return;
      input.parallel.partFailed(error);
      await this.#handleFailure(part, attempt, error);
    }
  }

  #confirm(part: ReadPart, uploaded: StoredPart): void {
    this.#input.progress.confirmed(part.index, part.sizeBytes);
    part.release();
    this.#input.onConfirmed(part.index, uploaded);
  }

  async #handleFailure(part: ReadPart, attempt: number, error: unknown): Promise<void> {
    const { progress } = this.#input;
    const decision = decideRetry({
      error,
      attempt,
      operation: 'upload-part',
      part: { offset: part.offset, sizeBytes: part.sizeBytes, sha1Hex: part.sha1Hex },
      credentialsRefreshed: this.#refreshedParts.has(part.index),
      ...(this.#input.random ? { random: this.#input.random } : {}),
    });
    const lastError = (error as Error).message;
    switch (decision.kind) {
      case 'part-already-stored':
        this.#confirm(part, decision.part);
        return;
      case 'check-stored-part':
        await this.#checkStoredPart(part, attempt, error);
        return;
      case 'retry':
        progress.setState(part.index, 'retrying', { lastError });
        if (decision.rateLimited) this.#input.gate.pauseFor(decision.delayMs);
        if (decision.rereadPart) await this.#reread(part);
        this.#queueRetry({ part, attempt: attempt + 1, readyAtMs: Date.now() + decision.delayMs });
        return;
      case 'refresh-credentials':
        this.#refreshedParts.add(part.index);
        progress.setState(part.index, 'retrying', { lastError });
        try {
          await renewCredentials(this.#input.client, error);
          this.#queueRetry({ part, attempt: attempt + 1, readyAtMs: Date.now() });
        } catch (renewError) {
          this.#stop(renewError);
        }
        return;
      case 'wait-for-network':
      case 'wait-for-token':
      case 'wait-for-sign-in':
        progress.setState(part.index, 'retrying', { lastError });
        this.#stop(stopFor(decision, error));
        return;
      case 'fail':
        progress.setState(part.index, 'failed', { lastError });
        this.#stop(error);
    }
  }

  /**
   * Box says the range holds a part but not which, or answered 409: list the parts (offset = this
   * part's index, limit 1, as box-ui-elements does; the whole list when earlier parts are
   * missing). Ours and equal: confirmed. Different bytes: the job fails. Not there: send it again
   * after a backoff (a PUT of it may still be arriving), at most RETRY_LIMITS.maxAttempts in all.
   */
  async #checkStoredPart(part: ReadPart, attempt: number, overlap: unknown): Promise<void> {
    let stored: StoredPart | undefined;
    try {
      stored = await findStoredPart(this.#input.client, this.#input.listPartsUrl, part, this.#signal);
    } catch (error) {
      if (this.#signal.aborted) return;
      return this.#handleFailure(part, attempt + 1, error);
    }
    if (stored && stored.sizeBytes === part.sizeBytes && sameSha1(stored.sha1Hex, part.sha1Hex))
      return this.#confirm(part, stored);
    if (stored || attempt >= RETRY_LIMITS.maxAttempts) {
      this.#input.progress.setState(part.index, 'failed', { lastError: (overlap as Error).message });
      this.#stop(
        stored ? new BoxProtocolError(`Box already holds different bytes for part ${part.index} of the file`) : overlap,
      );
      return;
    }
    this.#input.progress.setState(part.index, 'retrying', { lastError: (overlap as Error).message });
    const delayMs = backoffMs(attempt, this.#input.random);
    this.#queueRetry({ part, attempt: attempt + 1, readyAtMs: Date.now() + delayMs });
  }

  /** After a digest Box refused: read the part again; different bytes mean the file changed. */
  async #reread(part: ReadPart): Promise<void> {
    const hash = createHash('sha1');
    await readRange(this.#input.file, part, part.bytes, (slice) => hash.update(slice));
    if (hash.digest('hex') !== part.sha1Hex) throw new FileChangedError(`part ${part.index} now reads differently`);
  }

  #queueRetry(entry: RetryEntry): void {
    this.#retries.push(entry);
    this.#retries.sort((a, b) => a.part.index - b.part.index);
  }

  /** Step: stop what is in flight (after a fatal error or an abort) and give back every buffer. */
  async #finish(): Promise<void> {
    if (this.#fatal || this.#input.signal.aborted)
      this.#controller.abort(this.#fatal?.error ?? this.#input.signal.reason);
    await Promise.allSettled(this.#inFlight.values());
    const pending = await this.#prefetch?.catch(() => undefined);
    pending?.release();
    this.#held?.release();
    for (const entry of this.#retries) entry.part.release();
  }
}
