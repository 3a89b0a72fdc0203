/**
 * Box's upload rate limit: 240 upload requests per minute per user (box-api.md section 13).
 * A sliding one-minute window; off when no limit is given. Over it, Box answers 429
 * `rate_limit_exceeded` with `retry-after` in seconds: here, until the oldest request in the
 * window leaves it. Tests may shorten the window to run in seconds.
 */
export class UploadRateLimit {
  readonly #perMinute: number | undefined;
  readonly #windowMs: number;
  #recentMs: number[] = [];

  constructor(perMinute: number | undefined, windowMs = 60_000) {
    this.#perMinute = perMinute;
    this.#windowMs = windowMs;
  }

  /** Counts one upload request; returns the retry-after seconds when it is over the limit. */
  check(nowMs = Date.now()): number | undefined {
    if (this.#perMinute === undefined) return undefined;
    this.#recentMs = this.#recentMs.filter((at) => at > nowMs - this.#windowMs);
    if (this.#recentMs.length >= this.#perMinute) {
      return Math.max(1, Math.ceil((this.#recentMs[0]! + this.#windowMs - nowMs) / 1000));
    }
    this.#recentMs.push(nowMs);
    return undefined;
  }
}
