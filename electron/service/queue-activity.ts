import type { JobView } from '../../shared/job-model.ts';

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

const BUSY = new Set<JobView['state']>([
  'queued',
  'hashing',
  'uploading',
  'committing',
  'waiting-network',
  'waiting-token',
]);

/**
 * Follows the queue as batches: a batch starts when something is queued while idle and ends when
 * nothing is queued or running any more. Feeds the dock/taskbar progress, the power-save blocker
 * and the "batch complete" notification.
 */
export class QueueActivityTracker {
  #batch = new Map<string, JobView>();
  #busy = false;

  update(views: Iterable<JobView>): { activity: QueueActivity; finished?: BatchSummary } {
    let busy = false;
    let size = 0;
    let confirmed = 0;
    for (const view of views) {
      if (BUSY.has(view.state)) {
        busy = true;
        this.#batch.set(view.id, view);
      } else if (this.#batch.has(view.id)) {
        this.#batch.set(view.id, view);
      }
    }
    for (const view of this.#batch.values()) {
      size += view.totals.sizeBytes;
      confirmed += view.state === 'done' ? view.totals.sizeBytes : view.totals.bytesConfirmed;
    }
    const wasBusy = this.#busy;
    this.#busy = busy;
    if (wasBusy && !busy) {
      const finished: BatchSummary = { done: 0, failed: 0, canceled: 0 };
      for (const view of this.#batch.values()) {
        if (view.state === 'done') finished.done += 1;
        else if (view.state === 'failed') finished.failed += 1;
        else if (view.state === 'canceled') finished.canceled += 1;
      }
      this.#batch.clear();
      return { activity: { busy: false, fraction: null }, finished };
    }
    return { activity: { busy, fraction: busy ? (size > 0 ? confirmed / size : 0) : null } };
  }
}
