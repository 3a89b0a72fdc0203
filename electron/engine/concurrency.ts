/** Small scheduling primitives the pipeline and the queue share. */

/** Rejects with the signal's reason when it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, cleanup: () => void): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    cleanup();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      cleanup();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A counting semaphore served first come, first served: the global cap on parts in flight across
 * jobs. Jobs that asked first get slots first, so jobs progress in the order they were added.
 */
export class Slots {
  #limit: number;
  #inUse = 0;
  #waiters: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  get inUse(): number {
    return this.#inUse;
  }

  setLimit(limit: number): void {
    this.#limit = limit;
    this.#serve();
  }

  /** Resolves with a release function once a slot is free. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    let granted = false;
    const waiter = new Promise<void>((resolve) => {
      this.#waiters.push(() => {
        granted = true;
        resolve();
      });
    });
    const entry = this.#waiters.at(-1)!;
    this.#serve();
    return abortable(waiter, signal, () => {
      if (granted) this.#release();
      else this.#waiters = this.#waiters.filter((other) => other !== entry);
    }).then(() => {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.#release();
      };
    });
  }

  #release(): void {
    this.#inUse -= 1;
    this.#serve();
  }

  #serve(): void {
    while (this.#inUse < this.#limit && this.#waiters.length > 0) {
      this.#inUse += 1;
      this.#waiters.shift()!();
    }
  }
}

/**
 * Box limits uploads per account, so a 429 pauses dispatch for every job until retry-after has
 * passed (box-api.md section 13), not just the part that got it.
 */
export class RateGate {
  #pausedUntilMs = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get pausedUntilMs(): number {
    return this.#pausedUntilMs;
  }

  pauseFor(delayMs: number): void {
    this.#pausedUntilMs = Math.max(this.#pausedUntilMs, this.#now() + delayMs);
  }

  async wait(signal?: AbortSignal): Promise<void> {
    for (let waitMs = this.#pausedUntilMs - this.#now(); waitMs > 0; waitMs = this.#pausedUntilMs - this.#now()) {
      await sleep(waitMs, signal);
    }
  }
}

/** setTimeout as a promise that an abort cuts short (rejecting with the signal's reason). */
export function sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const slept = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, delayMs))));
  return abortable(slept, signal, () => clearTimeout(timer));
}

/** Lets a loop sleep until something happened (or a timeout passed). */
export class Wake {
  #waiters: Array<() => void> = [];

  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  wait(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      if (timeoutMs !== undefined)
        timer = setTimeout(
          () => {
            this.#waiters = this.#waiters.filter((waiter) => waiter !== done);
            resolve();
          },
          Math.max(0, timeoutMs),
        );
      this.#waiters.push(done);
    });
  }
}
