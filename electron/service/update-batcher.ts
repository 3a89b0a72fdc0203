import type { JobProgressBatch, JobsUpdate, JobView, PartProgress } from '../../shared/job-model.ts';

/** At most one progress update per this interval leaves the main process (DESIGN.md section 4). */
export const UPDATE_INTERVAL_MS = 100;

/**
 * State changes leave on the next tick, but never closer together than this: a folder of small
 * files finishing one after another would otherwise send hundreds of updates a second, and the
 * window cannot show more than one a frame or two anyway.
 */
export const STATE_CHANGE_GAP_MS = 25;

/**
 * Collects job changes and part progress and hands them on in batches: progress at most every
 * UPDATE_INTERVAL_MS, state changes on the next tick (so a burst, like 5,000 files added at
 * once, still leaves as one update) and at most every STATE_CHANGE_GAP_MS. Parts changed
 * several times travel once, latest state.
 */
export class UpdateBatcher {
  #changed = new Map<string, JobView>();
  #removed = new Set<string>();
  #progress = new Map<string, { totals: JobProgressBatch['totals']; parts: Map<number, PartProgress> }>();
  #timer: NodeJS.Timeout | undefined;
  #soon = false;
  #lastEmitMs = -Infinity;
  readonly #emit: (update: JobsUpdate) => void;
  readonly #intervalMs: number;

  constructor(emit: (update: JobsUpdate) => void, intervalMs = UPDATE_INTERVAL_MS) {
    this.#emit = emit;
    this.#intervalMs = intervalMs;
  }

  jobChanged(view: JobView): void {
    this.#changed.set(view.id, view);
    this.#removed.delete(view.id);
    this.#flushSoon();
  }

  jobRemoved(id: string): void {
    this.#changed.delete(id);
    this.#progress.delete(id);
    this.#removed.add(id);
    this.#flushSoon();
  }

  progress(batch: JobProgressBatch): void {
    const entry = this.#progress.get(batch.jobId) ?? { totals: batch.totals, parts: new Map() };
    entry.totals = batch.totals;
    for (const [index, part] of batch.parts) entry.parts.set(index, part);
    this.#progress.set(batch.jobId, entry);
    this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs).unref();
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#soon = false;
    if (this.#changed.size === 0 && this.#removed.size === 0 && this.#progress.size === 0) return;
    const update: JobsUpdate = {
      changed: [...this.#changed.values()],
      removed: [...this.#removed],
      progress: [...this.#progress.entries()].map(([jobId, entry]) => ({
        jobId,
        totals: entry.totals,
        parts: [...entry.parts.entries()],
      })),
    };
    this.#changed = new Map();
    this.#removed = new Set();
    this.#progress = new Map();
    this.#lastEmitMs = Date.now();
    this.#emit(update);
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flushSoon(): void {
    if (this.#soon) return;
    this.#soon = true;
    const flushIfStillDue = (): void => {
      if (this.#soon) this.flush();
    };
    const waitMs = this.#lastEmitMs + STATE_CHANGE_GAP_MS - Date.now();
    if (waitMs <= 0) setImmediate(flushIfStillDue);
    else setTimeout(flushIfStillDue, waitMs).unref();
  }
}
