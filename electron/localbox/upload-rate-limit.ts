/**
 * Box's upload rate limit: 240 upload requests per minute per user (box-api.md section 13).
 * A sliding one-minute window; off when no limit is given.
 */
export class UploadRateLimit {
  readonly #perMinute: number | undefined;
  #recentMs: number[] = [];

  constructor(perMinute: number | undefined) {
    this.#perMinute = perMinute;
  }

  /** Counts one upload request; returns the retry-after seconds when it is over the limit. */
  check(nowMs = Date.now()): number | undefined {
    if (this.#perMinute === undefined) return undefined;
    this.#recentMs = this.#recentMs.filter((at) => at > nowMs - 60_000);
    if (this.#recentMs.length >= this.#perMinute) {
      return Math.max(1, Math.ceil((this.#recentMs[0]! + 60_000 - nowMs) / 1000));
    }
    this.#recentMs.push(nowMs);
    return undefined;
  }
}
