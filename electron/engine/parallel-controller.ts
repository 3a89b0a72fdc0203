import { BoxApiError } from '../box/box-error.ts';
import { NetworkError } from '../box/http-transport.ts';
import type { ParallelSetting } from '../../shared/settings-model.ts';

/** Box recommends 3 to 5 parts in flight (box-api.md section 4, "Parallel uploads"). */
export const AUTO_PARALLEL = { floor: 3, ceiling: 5 } as const;

/** A step up counts as helping when the next round is this much faster. */
const GAIN = 1.1;
/** After a step up that did not help: rounds to stay put before trying again. */
const HOLD_ROUNDS = 8;

/** A part that ended well: its size and when it was dispatched and confirmed. */
export interface PartTiming {
  sizeBytes: number;
  startedAtMs: number;
  endedAtMs: number;
}

/** A 429, a 5xx or a dropped connection: the link or Box is overloaded, so send less at once. */
export function signalsCongestion(error: unknown): boolean {
  return (
    error instanceof NetworkError || (error instanceof BoxApiError && (error.status === 429 || error.status >= 500))
  );
}

/**
 * "auto" parts in flight for one file, within Box's 3 to 5. Pure: it is told what happened and
 * when, and says how many parts may be in flight.
 *
 * ```
 *   start at 5 ──congestion──> 3 ──round──> try 4 ──faster by 10%──> try 5
 *       ^                      ^               │
 *       └── round at 5 ─┐      └── not faster ─┘ (stay at 3 for 8 rounds, then try again)
 * ```
 *
 * It starts at Box's upper bound: on a link limited per connection (long-distance TCP) five parts
 * go five times as fast as one, and on a link limited in total they cost nothing but one more
 * buffer. A 429, a 5xx or a dropped connection drops it to 3 at once (once per round: a burst of
 * failures is one event). From there it climbs one part at a time while each step makes a round
 * at least 10% faster than the round before it, and steps back when it does not. A round is the
 * first `limit` parts confirmed of those dispatched after the last change (parts sent under
 * another limit would blur it). Its rate is `limit` times their mean speed, each part's size over
 * its time from dispatch to confirmation: where each connection has its own cap that grows with
 * the parts in flight, and where they share one cap each part slows as more go, so it stays flat
 * (a rate from the round's wall time would depend on how the parts happened to be staggered).
 */
export class ParallelController {
  #limit: number = AUTO_PARALLEL.ceiling;
  /** When the limit last changed: parts dispatched earlier do not count for this round. */
  #changedAtMs: number;
  /** Sum of the speeds (bytes per ms) of this round's parts, each from dispatch to confirmation. */
  #roundSpeeds = 0;
  #roundParts = 0;
  /** Rate of the last round at each limit, bytes per ms. */
  readonly #rates = new Map<number, number>();
  #lastMove: 'up' | 'down' | 'none' = 'none';
  #holdRounds = 0;
  /** Whether a part has ended well since the last drop (several failures at once drop once). */
  #doneSinceDrop = true;

  constructor(nowMs: number) {
    this.#changedAtMs = nowMs;
  }

  /** Parts that may be in flight now. */
  get limit(): number {
    return this.#limit;
  }

  /** A part was confirmed. */
  partDone(part: PartTiming): void {
    this.#doneSinceDrop = true;
    if (part.startedAtMs < this.#changedAtMs) return;
    this.#roundSpeeds += part.sizeBytes / Math.max(1, part.endedAtMs - part.startedAtMs);
    this.#roundParts += 1;
    if (this.#roundParts < this.#limit) return;
    const rate = (this.#limit * this.#roundSpeeds) / this.#roundParts;
    this.#rates.set(this.#limit, rate);
    this.#roundEnded(rate, part.endedAtMs);
  }

  /** A part failed with a 429, a 5xx or a dropped connection (see signalsCongestion). */
  congestion(nowMs: number): void {
    if (!this.#doneSinceDrop && this.#lastMove === 'down') return;
    this.#doneSinceDrop = false;
    this.#holdRounds = 0;
    this.#set(AUTO_PARALLEL.floor, 'down', nowMs);
  }

  #roundEnded(rate: number, nowMs: number): void {
    const below = this.#rates.get(this.#limit - 1);
    if (this.#lastMove === 'up' && below !== undefined && rate < below * GAIN) {
      this.#holdRounds = HOLD_ROUNDS;
      return this.#set(this.#limit - 1, 'none', nowMs);
    }
    if (this.#holdRounds > 0) {
      this.#holdRounds -= 1;
      return this.#set(this.#limit, this.#lastMove === 'up' ? 'none' : this.#lastMove, nowMs);
    }
    if (this.#limit < AUTO_PARALLEL.ceiling) return this.#set(this.#limit + 1, 'up', nowMs);
    this.#set(this.#limit, 'none', nowMs);
  }

  #set(limit: number, move: 'up' | 'down' | 'none', nowMs: number): void {
    this.#limit = limit;
    this.#lastMove = move;
    this.#changedAtMs = nowMs;
    this.#roundSpeeds = 0;
    this.#roundParts = 0;
  }
}

/**
 * Parts in flight for one run of one job: the setting (a number applies as it is, read on every
 * dispatch so a change takes effect at once) or, for "auto", the job's ParallelController.
 */
export class PartsInFlight {
  readonly #setting: () => ParallelSetting;
  readonly #nowMs: () => number;
  readonly #auto: ParallelController;

  constructor(setting: () => ParallelSetting, nowMs: () => number = () => performance.now()) {
    this.#setting = setting;
    this.#nowMs = nowMs;
    this.#auto = new ParallelController(nowMs());
  }

  /** Parts that may be in flight now. */
  limit(): number {
    const setting = this.#setting();
    return setting === 'auto' ? this.#auto.limit : setting;
  }

  now(): number {
    return this.#nowMs();
  }

  partDone(sizeBytes: number, startedAtMs: number): void {
    this.#auto.partDone({ sizeBytes, startedAtMs, endedAtMs: this.#nowMs() });
  }

  partFailed(error: unknown): void {
    if (signalsCongestion(error)) this.#auto.congestion(this.#nowMs());
  }
}
