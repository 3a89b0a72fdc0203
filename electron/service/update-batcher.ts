import type { JobProgressBatch, JobsUpdate, JobView } from '../../shared/job-model.ts';

/** At most one progress update per this interval leaves the main process (DESIGN.md section 4). */
export const UPDATE_INTERVAL_MS = 100;

/**
 * State changes leave on the next tick, but never closer together than this: a folder of small
 * files finishing one after another would otherwise send hundreds of updates a second, and the
 * window cannot show more than one a frame or two anyway.
 */
export const STATE_CHANGE_GAP_MS = 25;

/** Where the batcher reads part progress: the upload queue, which keeps it until read (one reader). */
export interface ProgressSource {
  /** Every job's unread progress; each changed part once, latest state. */
  takeProgress(): JobProgressBatch[];
  /** One job's unread progress, as takeProgress() gives it. */
  takeJobProgress(jobId: string): JobProgressBatch | undefined;
}

/**
 * The app's one throttle between the engine and the window. Job changes are collected and leave
 * on the next tick (so a burst, like 5,000 files added at once, still leaves as one update) and
 * at most every STATE_CHANGE_GAP_MS. Part progress is not pushed here: told that some is pending,
 * the batcher reads it from its source at most every UPDATE_INTERVAL_MS; a state change takes
 * the changed job's own progress with it, so its new state and its parts' final state travel in
 * one update, while other jobs' progress keeps to the interval. Nothing runs while nothing moves.
 */
export class UpdateBatcher {
  #changed = new Map<string, JobView>();
  #removed = new Set<string>();
  #progressTimer: NodeJS.Timeout | undefined;
  #soon = false;
  #disposed = false;
  #lastEmitMs = -Infinity;
  readonly #emit: (update: JobsUpdate) => void;
  readonly #source: ProgressSource;
  readonly #intervalMs: number;

  constructor(emit: (update: JobsUpdate) => void, source: ProgressSource, intervalMs = UPDATE_INTERVAL_MS) {
    this.#emit = emit;
    this.#source = source;
    this.#intervalMs = intervalMs;
  }

  /** A job's view changed: it leaves with the next update, its unread progress with it. */
  jobChanged(view: JobView): void {
    this.#changed.set(view.id, view);
    this.#removed.delete(view.id);
    this.#flushSoon();
  }

  /** A job is gone from the list. */
  jobRemoved(id: string): void {
    this.#changed.delete(id);
    this.#removed.add(id);
    this.#flushSoon();
  }

  /** The source has unread progress: read it within UPDATE_INTERVAL_MS. */
  progressPending(): void {
    if (this.#disposed) return;
    this.#progressTimer ??= setTimeout(() => this.flush(), this.#intervalMs).unref();
  }

  /** Sends what is collected and all of the source's unread progress now. */
  flush(): void {
    if (this.#progressTimer) clearTimeout(this.#progressTimer);
    this.#progressTimer = undefined;
    this.#send(this.#source.takeProgress());
  }

  /** Sends the collected job changes with those jobs' own progress; the rest waits for its interval. */
  #flushChanges(): void {
    const progress: JobProgressBatch[] = [];
    for (const id of this.#changed.keys()) {
      const batch = this.#source.takeJobProgress(id);
      if (batch) progress.push(batch);
    }
    this.#send(progress);
  }

  #send(progress: JobProgressBatch[]): void {
    this.#soon = false;
    if (this.#changed.size === 0 && this.#removed.size === 0 && progress.length === 0) return;
    const update: JobsUpdate = { changed: [...this.#changed.values()], removed: [...this.#removed], progress };
    this.#changed = new Map();
    this.#removed = new Set();
    this.#lastEmitMs = Date.now();
    this.#emit(update);
  }

  /** Stops the progress timer and ignores further signals (the queue is closed); a last flush() sends what is left. */
  dispose(): void {
    if (this.#progressTimer) clearTimeout(this.#progressTimer);
    this.#progressTimer = undefined;
    this.#disposed = true;
  }

  #flushSoon(): void {
    if (this.#soon) return;
    this.#soon = true;
    const flushIfStillDue = (): void => {
      if (this.#soon) this.#flushChanges();
    };
    const waitMs = this.#lastEmitMs + STATE_CHANGE_GAP_MS - Date.now();
    if (waitMs <= 0) setImmediate(flushIfStillDue);
    else setTimeout(flushIfStillDue, waitMs).unref();
  }
}
