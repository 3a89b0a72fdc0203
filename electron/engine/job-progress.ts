import type { JobProgressBatch, JobTotals, PartProgress, PartState } from '../../shared/job-model.ts';

/**
 * Speed is a moving average (3 s half-life) of bytes the server confirmed. Bytes handed to the
 * network are not used: socket buffers swallow megabytes per connection at once, which made
 * early speeds and ETAs several times too optimistic on slow links.
 */
const SPEED_HALF_LIFE_MS = 3000;
/** About 10 progress events per second per job. */
export const PROGRESS_INTERVAL_MS = 100;

export interface ProgressClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: ProgressClock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Per-part bytes sent and confirmed, job totals, speed and ETA. Totals are kept as running sums
 * so an update costs O(1) even at 10,000 parts; changed parts are batched and emitted at most
 * every PROGRESS_INTERVAL_MS, or at once on `flush()` (state changes).
 *
 * Sent falls back to confirmed when a part is retried, so the bar never passes 100% and never
 * jumps back by more than one part.
 */
export class JobProgress {
  readonly jobId: string;
  readonly sizeBytes: number;
  readonly parts: PartProgress[];
  #bytesConfirmed = 0;
  #bytesSent = 0;
  #partsDone = 0;
  #speedBytesPerSec = 0;
  #lastSample: { atMs: number; bytesConfirmed: number };
  #dirty = new Set<number>();
  #timer: unknown;
  readonly #emit: (batch: JobProgressBatch) => void;
  readonly #clock: ProgressClock;

  constructor(
    jobId: string,
    sizeBytes: number,
    totalParts: number,
    emit: (batch: JobProgressBatch) => void,
    clock: ProgressClock = realClock,
  ) {
    this.jobId = jobId;
    this.sizeBytes = sizeBytes;
    this.parts = Array.from({ length: totalParts }, () => ({
      state: 'pending',
      bytesSent: 0,
      bytesConfirmed: 0,
      attempts: 0,
    }));
    this.#emit = emit;
    this.#clock = clock;
    this.#lastSample = { atMs: clock.now(), bytesConfirmed: 0 };
  }

  setState(index: number, state: PartState, detail: { attempts?: number; lastError?: string } = {}): void {
    const part = this.parts[index];
    if (!part) return;
    part.state = state;
    if (detail.attempts !== undefined) part.attempts = detail.attempts;
    if (detail.lastError !== undefined) part.lastError = detail.lastError;
    if (state === 'retrying' || state === 'pending' || state === 'failed') this.#setSent(part, 0);
    this.#touch(index);
  }

  /** Body bytes of the current attempt handed to the network. */
  sent(index: number, bytesSent: number): void {
    const part = this.parts[index];
    if (!part || part.state === 'done') return;
    this.#setSent(part, bytesSent);
    this.#touch(index);
  }

  confirmed(index: number, sizeBytes: number): void {
    const part = this.parts[index];
    if (!part || part.state === 'done') return;
    this.#setSent(part, sizeBytes);
    this.#bytesConfirmed += sizeBytes - part.bytesConfirmed;
    part.bytesConfirmed = sizeBytes;
    part.state = 'done';
    delete part.lastError;
    this.#partsDone += 1;
    this.#touch(index);
  }

  totals(): JobTotals {
    this.#sampleSpeed();
    const remaining = this.sizeBytes - this.#bytesConfirmed;
    const speed = this.#speedBytesPerSec;
    return {
      sizeBytes: this.sizeBytes,
      bytesConfirmed: this.#bytesConfirmed,
      bytesSent: Math.min(this.sizeBytes, this.#bytesSent),
      partsDone: this.#partsDone,
      totalParts: this.parts.length,
      speedBytesPerSec: Math.round(speed),
      etaSeconds: remaining === 0 ? 0 : speed > 1 ? Math.ceil(remaining / speed) : null,
    };
  }

  /**
   * The run stopped (paused, failed, waiting): parts that were in flight go back to pending with
   * nothing sent, so no bar shows bytes on their way that are not. A part marked failed stays so.
   */
  settle(): void {
    this.parts.forEach((part, index) => {
      if (part.state !== 'reading' && part.state !== 'uploading' && part.state !== 'retrying') return;
      part.state = 'pending';
      this.#setSent(part, 0);
      this.#touch(index);
    });
  }

  /** Emits now: for state changes, which must not wait for the next tick. */
  flush(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const parts: Array<[number, PartProgress]> = [...this.#dirty].map((index) => [index, { ...this.parts[index]! }]);
    this.#dirty.clear();
    this.#emit({ jobId: this.jobId, totals: this.totals(), parts });
  }

  /** Stops the timer; speed drops to zero. */
  dispose(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#speedBytesPerSec = 0;
  }

  #setSent(part: PartProgress, bytesSent: number): void {
    const before = Math.max(part.bytesSent, part.bytesConfirmed);
    part.bytesSent = bytesSent;
    this.#bytesSent += Math.max(part.bytesSent, part.bytesConfirmed) - before;
  }

  #touch(index: number): void {
    this.#dirty.add(index);
    this.#timer ??= this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, PROGRESS_INTERVAL_MS);
  }

  #sampleSpeed(): void {
    const nowMs = this.#clock.now();
    const elapsedMs = nowMs - this.#lastSample.atMs;
    if (elapsedMs < 50) return;
    const rate = ((this.#bytesConfirmed - this.#lastSample.bytesConfirmed) / elapsedMs) * 1000;
    const weight = 1 - 0.5 ** (elapsedMs / SPEED_HALF_LIFE_MS);
    this.#speedBytesPerSec =
      this.#speedBytesPerSec === 0 ? rate : this.#speedBytesPerSec + weight * (rate - this.#speedBytesPerSec);
    this.#lastSample = { atMs: nowMs, bytesConfirmed: this.#bytesConfirmed };
  }
}
