/** The clock the limit runs on; tests pass a simulated one. */
export interface RateClock {
  nowMs(): number;
  /** Calls `fire` after `delayMs`; returns a function that cancels it. */
  after(delayMs: number, fire: () => void): () => void;
}

export const realClock: RateClock = {
  nowMs: () => performance.now(),
  after(delayMs, fire) {
    const timer = setTimeout(fire, delayMs);
    return () => clearTimeout(timer);
  },
};

interface Waiter {
  bytes: number;
  grant: () => void;
}

/** Slices of about 1/16 s of the limit: smooth progress, and no socket sits idle for long. */
const SLICES_PER_SECOND = 16;
const MIN_SLICE_BYTES = 4 * 1024;
const MAX_SLICE_BYTES = 1024 * 1024;

/**
 * One upload speed limit shared by every request body a client sends (all parts of all files),
 * so "5 MB/s" means 5 MB/s leaving this machine however many parts are in flight. A token bucket
 * in which a grant may run into debt: the bytes of a slice are granted when the bucket is not
 * empty, and later slices wait until the debt is paid back at the limit. Waiters are served
 * first come, first served, so parts in flight move on together and none starves into an idle
 * timeout. The limit can change or go at any time; waiting slices follow at once.
 */
export class UploadRateLimit {
  readonly #clock: RateClock;
  #bytesPerSecond: number | undefined;
  #tokens = 0;
  #refilledAtMs: number;
  readonly #waiters: Waiter[] = [];
  #cancelTimer: (() => void) | undefined;

  constructor(bytesPerSecond?: number, clock: RateClock = realClock) {
    this.#clock = clock;
    this.#refilledAtMs = clock.nowMs();
    this.set(bytesPerSecond);
  }

  /** The limit in bytes per second; undefined for none. */
  get bytesPerSecond(): number | undefined {
    return this.#bytesPerSecond;
  }

  set(bytesPerSecond: number | undefined): void {
    if (bytesPerSecond !== undefined && !(Number.isFinite(bytesPerSecond) && bytesPerSecond > 0))
      throw new RangeError(`an upload limit must be a positive number of bytes per second, not ${bytesPerSecond}`);
    this.#refill();
    this.#bytesPerSecond = bytesPerSecond;
    this.#tokens = Math.min(this.#tokens, this.sliceBytes());
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#serve();
  }

  /** Slices waiting for their turn (one per request held back). */
  get waitingSlices(): number {
    return this.#waiters.length;
  }

  /** How many bytes a request should write between two calls to take(). */
  sliceBytes(): number {
    if (this.#bytesPerSecond === undefined) return MAX_SLICE_BYTES;
    const slice = Math.floor(this.#bytesPerSecond / SLICES_PER_SECOND);
    return Math.max(MIN_SLICE_BYTES, Math.min(MAX_SLICE_BYTES, slice));
  }

  /** Resolves when `bytes` may be sent; rejects with the signal's reason if it aborts first. */
  take(bytes: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#bytesPerSecond === undefined && this.#waiters.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        bytes,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      if (!this.#cancelTimer) this.#serve();
    });
  }

  #refill(): void {
    const now = this.#clock.nowMs();
    if (this.#bytesPerSecond !== undefined) {
      const earned = ((now - this.#refilledAtMs) * this.#bytesPerSecond) / 1000;
      this.#tokens = Math.min(this.sliceBytes(), this.#tokens + earned);
    }
    this.#refilledAtMs = now;
  }

  #serve(): void {
    this.#refill();
    while (this.#waiters.length > 0) {
      if (this.#bytesPerSecond !== undefined && this.#tokens < 0) {
        const waitMs = Math.max(1, Math.ceil((-this.#tokens * 1000) / this.#bytesPerSecond));
        this.#cancelTimer = this.#clock.after(waitMs, () => {
          this.#cancelTimer = undefined;
          this.#serve();
        });
        return;
      }
      const waiter = this.#waiters.shift()!;
      if (this.#bytesPerSecond !== undefined) this.#tokens -= waiter.bytes;
      waiter.grant();
    }
  }
}
