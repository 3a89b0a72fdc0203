import { IN_PROGRESS_STATES, type JobState, type JobsUpdate, type JobView } from '../../shared/job-model.ts';

export interface QueueActivity {
  /** Something is queued or uploading: keep the machine awake, show progress. */
  busy: boolean;
  /** The share of the current batch's bytes Box has confirmed, 0 to 1; null when idle. */
  fraction: number | null;
}

export interface BatchSummary {
  done: number;
  failed: number;
  canceled: number;
}

interface Tracked {
  state: JobState;
  sizeBytes: number;
  bytesConfirmed: number;
}

/**
 * Follows the queue as batches, from the same updates the renderer gets: a batch starts when
 * something is queued while idle and ends when nothing is queued or running any more. Feeds the
 * dock/taskbar progress, the power-save blocker and the "batch complete" notification.
 */
export class QueueActivityTracker {
  readonly #jobs = new Map<string, Tracked>();
  readonly #batch = new Set<string>();
  #busy = false;

  /**
   * Every state change as it happens, before batching: a small file can go from queued to done
   * between two updates, and it still belongs to the batch.
   */
  jobChanged(view: JobView): void {
    this.#jobs.set(view.id, {
      state: view.state,
      sizeBytes: view.totals.sizeBytes,
      bytesConfirmed: view.totals.bytesConfirmed,
    });
    if (!IN_PROGRESS_STATES.has(view.state)) return;
    this.#batch.add(view.id);
    this.#busy = true; // a batch began, even if it ends before the next update
  }

  apply(update: JobsUpdate): { activity: QueueActivity; finished?: BatchSummary } {
    for (const view of update.changed) this.jobChanged(view);
    for (const { jobId, totals } of update.progress) {
      const job = this.#jobs.get(jobId);
      if (job) Object.assign(job, { sizeBytes: totals.sizeBytes, bytesConfirmed: totals.bytesConfirmed });
    }
    for (const id of update.removed) {
      this.#jobs.delete(id);
      this.#batch.delete(id);
    }
    let busy = false;
    for (const [id, job] of this.#jobs) {
      if (!IN_PROGRESS_STATES.has(job.state)) continue;
      busy = true;
      this.#batch.add(id);
    }
    const wasBusy = this.#busy;
    this.#busy = busy;
    if (wasBusy && !busy) {
      const finished: BatchSummary = { done: 0, failed: 0, canceled: 0 };
      for (const id of this.#batch) {
        const state = this.#jobs.get(id)?.state;
        if (state === 'done' || state === 'failed' || state === 'canceled') finished[state] += 1;
      }
      this.#batch.clear();
      return { activity: { busy: false, fraction: null }, finished };
    }
    let size = 0;
    let confirmed = 0;
    for (const id of this.#batch) {
      const job = this.#jobs.get(id)!;
      size += job.sizeBytes;
      confirmed += job.state === 'done' ? job.sizeBytes : job.bytesConfirmed;
    }
    return { activity: { busy, fraction: busy ? (size > 0 ? confirmed / size : 0) : null } };
  }
}
