import { realClock, type RateClock } from './upload-rate-limit.ts';

/** Box counts its limits per minute ("240 upload requests per minute per user"). */
const WINDOW_MS = 60_000;
/** Box's documented upload budget a minute: beyond it, requests go one at a time until Box says. */
const DOCUMENTED_PER_MINUTE = 240;
/** Pace a little under what Box let through (retry-after is rounded up to seconds already). */
const SAFETY = 0.98;
/** A 429 that arrives although we paced: the rate we learned is too high for now. */
const DECREASE = 0.8;
/** Fewer accepted requests than this in the last minute say nothing about a budget of 240: only pause. */
const MIN_SAMPLE = 8;
/** Without retry-after, wait at least this long (the engine's backoff waits too). */
const MIN_PAUSE_MS = 1000;

interface Waiter {
  /** A whole small file (a direct upload), which goes alone beyond the documented budget. */
  wholeFile: boolean;
  grant: (request: PacedRequest) => void;
}

/** One upload request let through: when, and whether it went alone (beyond Box's documented budget). */
export interface PacedRequest {
  readonly sentAtMs: number;
  readonly alone: boolean;
}

/**
 * One budget for Box's upload requests (part uploads and direct uploads), shared by every job of
 * a client: Box allows 240 upload requests a minute per user and answers more with 429
 * `rate_limit_exceeded` and `retry-after` (box-api.md section 13).
 *
 * Until the first 429 nothing is held back, up to the 240 requests a minute Box documents; beyond
 * them direct uploads (whole small files) go one at a time (the next when the last is answered),
 * so a drop of many small files meets one 429, not one per file in flight. Parts are not held so:
 * a file has only a few in flight, and holding them would slow every large file to one part at a
 * time against a server that does not limit. A 429 pauses every upload request until `retry-after`
 * has passed, and teaches a rate: the requests Box accepted in the last minute, over the time from
 * the first of them to the end of the pause (what Box's window let through). From then on requests
 * go one at a time at that rate, so a drop of thousands of small files meets one 429, not one per
 * request. Box may leave `retry-after` out (the docs then ask for backoff): the pause lasts until
 * the oldest request of the last minute has left it, and the rate is what Box took in a minute.
 * A later 429 for a request sent while paced lowers the rate further; 429s for requests sent
 * before the rate was learned (the rest of the same burst) only extend the pause, as does a 429
 * after only a handful of requests. After a minute without upload requests the rate is forgotten.
 */
export class UploadPacing {
  readonly #clock: RateClock;
  /** When recent requests went, oldest first; only the last minute is kept. */
  #sentMs: number[] = [];
  /** When recent requests that met a 429 went. */
  #refusedMs: number[] = [];
  #intervalMs: number | undefined;
  #nextAtMs = 0;
  #pausedUntilMs = 0;
  #learnedAtMs = Number.NEGATIVE_INFINITY;
  readonly #waiters: Waiter[] = [];
  #cancelTimer: (() => void) | undefined;
  /** A request beyond the documented budget is on its way: the next waits for its answer. */
  #aloneInFlight: PacedRequest | undefined;

  constructor(clock: RateClock = realClock) {
    this.#clock = clock;
  }

  /** The rate it paces at, in requests per second; undefined while Box has not refused any. */
  get requestsPerSecond(): number | undefined {
    return this.#intervalMs === undefined ? undefined : 1000 / this.#intervalMs;
  }

  get pausedUntilMs(): number {
    return this.#pausedUntilMs;
  }

  /**
   * Resolves when one upload request may go; rejects with the signal's reason if it aborts first.
   * Call finished() with what it resolved to once the request is answered (or failed).
   */
  take(signal?: AbortSignal, { wholeFile = false }: { wholeFile?: boolean } = {}): Promise<PacedRequest> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const nowMs = this.#clock.nowMs();
    this.#prune(nowMs);
    // A minute without upload requests (nor a pause): Box's window is empty, its budget whole.
    const lastMs = Math.max(this.#sentMs.at(-1) ?? Number.NEGATIVE_INFINITY, this.#pausedUntilMs);
    if (this.#waiters.length === 0 && lastMs <= nowMs - WINDOW_MS) this.#intervalMs = undefined;
    if (
      this.#waiters.length === 0 &&
      this.#intervalMs === undefined &&
      nowMs >= this.#pausedUntilMs &&
      (!wholeFile || this.#sentMs.length < DOCUMENTED_PER_MINUTE)
    ) {
      this.#record(nowMs);
      return Promise.resolve({ sentAtMs: nowMs, alone: false });
    }
    return new Promise<PacedRequest>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        wholeFile,
        grant: (request) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(request);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      if (!this.#cancelTimer) this.#serve();
    });
  }

  /** The request was answered, or failed: a request waiting to go alone may go. */
  finished(request: PacedRequest): void {
    if (this.#aloneInFlight !== request) return;
    this.#aloneInFlight = undefined;
    if (!this.#cancelTimer) this.#serve();
  }

  /**
   * Box answered 429 to the request granted at `sentAtMs`; `retryAfterMs` is its retry-after
   * (undefined when Box sent none).
   */
  rateLimited(sentAtMs: number, retryAfterMs: number | undefined): void {
    const nowMs = this.#clock.nowMs();
    this.#prune(nowMs);
    this.#refusedMs.push(sentAtMs);
    const oldestMs = this.#sentMs[0] ?? sentAtMs;
    const pauseMs = retryAfterMs ?? Math.max(MIN_PAUSE_MS, oldestMs + WINDOW_MS - nowMs);
    this.#pausedUntilMs = Math.max(this.#pausedUntilMs, nowMs + pauseMs);
    const accepted = this.#sentMs.length - this.#refusedMs.length;
    if (sentAtMs >= this.#learnedAtMs && accepted >= MIN_SAMPLE) {
      const periodMs = Math.max(1, this.#pausedUntilMs - oldestMs);
      const estimate = ((accepted * 1000) / periodMs) * SAFETY;
      const current = this.requestsPerSecond;
      const rate = current === undefined ? estimate : Math.min(estimate, current * DECREASE);
      this.#intervalMs = 1000 / rate;
      this.#learnedAtMs = nowMs;
    }
    this.#nextAtMs = Math.max(this.#nextAtMs, this.#pausedUntilMs);
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#serve();
  }

  #record(nowMs: number): void {
    this.#prune(nowMs);
    this.#sentMs.push(nowMs);
  }

  #prune(nowMs: number): void {
    const fromMs = nowMs - WINDOW_MS;
    if (this.#sentMs.length > 0 && this.#sentMs[0]! <= fromMs) this.#sentMs = this.#sentMs.filter((at) => at > fromMs);
    if (this.#refusedMs.length > 0 && this.#refusedMs[0]! <= fromMs)
      this.#refusedMs = this.#refusedMs.filter((at) => at > fromMs);
  }

  #serve(): void {
    while (this.#waiters.length > 0) {
      const nowMs = this.#clock.nowMs();
      const atMs = Math.max(this.#pausedUntilMs, this.#intervalMs === undefined ? 0 : this.#nextAtMs);
      if (atMs > nowMs) {
        this.#cancelTimer = this.#clock.after(atMs - nowMs, () => {
          this.#cancelTimer = undefined;
          this.#serve();
        });
        return;
      }
      this.#prune(nowMs);
      const waiter = this.#waiters[0]!;
      const alone = waiter.wholeFile && this.#intervalMs === undefined && this.#sentMs.length >= DOCUMENTED_PER_MINUTE;
      if (alone && this.#aloneInFlight) return; // finished() serves the next
      this.#waiters.shift();
      if (this.#intervalMs !== undefined) this.#nextAtMs = Math.max(this.#nextAtMs, nowMs) + this.#intervalMs;
      this.#record(nowMs);
      const request: PacedRequest = { sentAtMs: nowMs, alone };
      if (alone) this.#aloneInFlight = request;
      waiter.grant(request);
    }
  }
}
