import type { RateClock } from '../../electron/box/upload-rate-limit.ts';

/** A clock that moves only when the test says so; timers fire in order as it passes them. */
export class ManualClock implements RateClock {
  #nowMs = 0;
  #timers: Array<{ atMs: number; fire: () => void }> = [];

  nowMs(): number {
    return this.#nowMs;
  }

  after(delayMs: number, fire: () => void): () => void {
    const timer = { atMs: this.#nowMs + delayMs, fire };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((other) => other !== timer);
    };
  }

  /** Moves time on by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const endMs = this.#nowMs + ms;
    for (;;) {
      const due = this.#timers.filter((timer) => timer.atMs <= endMs).sort((a, b) => a.atMs - b.atMs)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#nowMs = due.atMs;
      due.fire();
    }
    this.#nowMs = endMs;
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }
}
