import { IN_PROGRESS_STATES, type JobState, type JobsUpdate, type JobView } from '../../shared/job-model.ts';

/** What the dock or taskbar and the power-save blocker follow. */
export interface QueueActivity {
  /** Something is queued or uploading: keep the machine awake, show progress. */
  busy: boolean;
  /** The share of the current batch's bytes Box has confirmed, 0 to 1; null when idle. */
  fraction: number | null;
}

/** How a batch ended, for the "batch complete" notification. */
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

/** What a job adds to its batch's progress: all of its bytes once done. */
const confirmedOf = (job: Tracked): number => (job.state === 'done' ? job.sizeBytes : job.bytesConfirmed);

/**
 * Follows the queue as batches: a batch starts when something is queued while idle and ends
 * when nothing is queued or running any more. Feeds the dock/taskbar progress, the power-save
 * blocker and the "batch complete" notification. Every change costs O(1), not O(jobs): a folder
 * drop puts thousands of files in one batch.
 */
export class QueueActivityTracker {
  readonly #jobs = new Map<string, Tracked>();
  readonly #inProgress = new Set<string>();
  readonly #batch = new Set<string>();
  #batchSizeBytes = 0;
  #batchConfirmedBytes = 0;
  #busy = false;

  /**
   * Every state change as it happens, before batching: a small file can go from queued to done
   * between two updates, and it still belongs to the batch.
   */
  jobChanged(view: JobView): void {
    this.#set(view.id, {
      state: view.state,
      sizeBytes: view.totals.sizeBytes,
      bytesConfirmed: view.totals.bytesConfirmed,
    });
  }

  apply(update: JobsUpdate): { activity: QueueActivity; finished?: BatchSummary } {
    for (const view of update.changed) this.jobChanged(view);
    for (const { jobId, totals } of update.progress) {
      const job = this.#jobs.get(jobId);
      if (job) this.#set(jobId, { ...job, sizeBytes: totals.sizeBytes, bytesConfirmed: totals.bytesConfirmed });
    }
    for (const id of update.removed) this.#forget(id);
    const busy = this.#inProgress.size > 0;
    const wasBusy = this.#busy;
    this.#busy = busy;
    if (wasBusy && !busy) {
      const finished: BatchSummary = { done: 0, failed: 0, canceled: 0 };
      for (const id of this.#batch) {
        const state = this.#jobs.get(id)?.state;
        if (state === 'done' || state === 'failed' || state === 'canceled') finished[state] += 1;
      }
      this.#batch.clear();
      this.#batchSizeBytes = 0;
      this.#batchConfirmedBytes = 0;
      return { activity: { busy: false, fraction: null }, finished };
    }
    const size = this.#batchSizeBytes;
    return { activity: { busy, fraction: busy ? (size > 0 ? this.#batchConfirmedBytes / size : 0) : null } };
  }

  #set(id: string, next: Tracked): void {
    const before = this.#jobs.get(id);
    if (before && this.#batch.has(id)) {
      this.#batchSizeBytes -= before.sizeBytes;
      this.#batchConfirmedBytes -= confirmedOf(before);
    }
    this.#jobs.set(id, next);
    if (IN_PROGRESS_STATES.has(next.state)) {
      this.#inProgress.add(id);
      this.#batch.add(id);
      this.#busy = true; // a batch began, even if it ends before the next update
    } else {
      this.#inProgress.delete(id);
    }
    if (this.#batch.has(id)) {
      this.#batchSizeBytes += next.sizeBytes;
      this.#batchConfirmedBytes += confirmedOf(next);
    }
  }

  #forget(id: string): void {
    const job = this.#jobs.get(id);
    if (job && this.#batch.has(id)) {
      this.#batchSizeBytes -= job.sizeBytes;
      this.#batchConfirmedBytes -= confirmedOf(job);
    }
    this.#jobs.delete(id);
    this.#inProgress.delete(id);
    this.#batch.delete(id);
  }
}
