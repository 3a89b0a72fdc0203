import type { JobProgressBatch, JobTotals, PartProgress, PartState } from '../../shared/job-model.ts';

/**
 * Speed is a moving average (3 s half-life) of bytes the server confirmed. Bytes handed to the
 * network are not used: socket buffers swallow megabytes per connection at once, which made
 * early speeds and ETAs several times too optimistic on slow links.
 */
const SPEED_HALF_LIFE_MS = 3000;
/** Samples closer together than this keep the speed as it was: too little time to measure a rate. */
const MIN_SAMPLE_GAP_MS = 50;

/** Where a JobProgress reads the time, so speed tests can move it by hand. */
export interface ProgressClock {
  now(): number;
}

const realClock: ProgressClock = { now: () => performance.now() };

/**
 * Per-part bytes sent and confirmed, job totals, speed and ETA. Totals are kept as running sums
 * so an update costs O(1) even at 10,000 parts. It keeps no timer: changed parts are only marked
 * dirty, and whoever shows progress drains them with `takeChanges()` at its own rate, so a part
 * changed a thousand times between two reads travels once, latest state. `onDirty` is called once
 * each time the model goes from nothing unread to something unread, a cheap signal for the
 * reader to arm its own timer.
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
  readonly #onDirty: () => void;
  readonly #clock: ProgressClock;

  constructor(
    jobId: string,
    sizeBytes: number,
    totalParts: number,
    onDirty: () => void = () => undefined,
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
    this.#onDirty = onDirty;
    this.#clock = clock;
    this.#lastSample = { atMs: clock.now(), bytesConfirmed: 0 };
  }

  /** A part's new state; a retried, pending or failed part has nothing on its way. */
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

  /** The server has the part: it counts as done and confirmed, once however often this is called. */
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

  /** The job's totals now, with the speed sampled. */
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

  /**
   * The parts changed since the last call (each once, as it is now) and the totals; undefined
   * when nothing changed. Speed is sampled here too, so it follows however often this is called.
   */
  takeChanges(): JobProgressBatch | undefined {
    if (this.#dirty.size === 0) return undefined;
    const parts: Array<[number, PartProgress]> = [...this.#dirty].map((index) => [index, { ...this.parts[index]! }]);
    this.#dirty.clear();
    return { jobId: this.jobId, totals: this.totals(), parts };
  }

  /** The run ended: speed drops to zero. */
  dispose(): void {
    this.#speedBytesPerSec = 0;
  }

  #setSent(part: PartProgress, bytesSent: number): void {
    const before = Math.max(part.bytesSent, part.bytesConfirmed);
    part.bytesSent = bytesSent;
    this.#bytesSent += Math.max(part.bytesSent, part.bytesConfirmed) - before;
  }

  #touch(index: number): void {
    const wasClean = this.#dirty.size === 0;
    this.#dirty.add(index);
    if (wasClean) this.#onDirty();
  }

  #sampleSpeed(): void {
    const nowMs = this.#clock.now();
    const elapsedMs = nowMs - this.#lastSample.atMs;
    if (elapsedMs < MIN_SAMPLE_GAP_MS) return;
    const rate = ((this.#bytesConfirmed - this.#lastSample.bytesConfirmed) / elapsedMs) * 1000;
    const weight = 1 - 0.5 ** (elapsedMs / SPEED_HALF_LIFE_MS);
    this.#speedBytesPerSec =
      this.#speedBytesPerSec === 0 ? rate : this.#speedBytesPerSec + weight * (rate - this.#speedBytesPerSec);
    this.#lastSample = { atMs: nowMs, bytesConfirmed: this.#bytesConfirmed };
  }
}
