import { FINISHED_STATES, type JobView, type NameConflictChoice } from '../../shared/job-model.ts';
import { encodeParts, type EncodedParts } from '../../shared/parts-codec.ts';
import type { UploadJob } from '../engine/upload-job.ts';
import type { CurrentUploads } from './current-uploads.ts';
import type { RefusedFiles } from './refused-files.ts';
import { ServiceError } from './service-error.ts';

/**
 * The rows of the list and what the person does to them, one at a time or all at once: on the
 * queue of the moment, and on the refused rows (files refused when added, which never reach the
 * queue). A job id the queue no longer knows is a ServiceError in words.
 */
export class JobControls {
  readonly #current: CurrentUploads;
  readonly #refused: RefusedFiles;

  constructor(current: CurrentUploads, refused: RefusedFiles) {
    this.#current = current;
    this.#refused = refused;
  }

  #job(jobId: string): UploadJob {
    const job = this.#current.queue().get(jobId);
    if (!job) throw new ServiceError('That upload is no longer in the list.');
    return job;
  }

  /** Every row: the queue's jobs, then the refused files. */
  list(): { jobs: JobView[] } {
    const queued = this.#current.queue().jobs();
    return { jobs: [...queued.map((job) => job.view()), ...this.#refused.views()] };
  }

  /** Every part of a job, compactly encoded for the part map. */
  parts(jobId: string): EncodedParts {
    const job = this.#job(jobId);
    const view = job.view();
    return encodeParts(jobId, job.parts(), view.partSizeBytes ?? view.totals.sizeBytes, view.totals.sizeBytes);
  }

  /** Pauses one upload; it keeps its place and the parts Box confirmed. */
  pause(jobId: string): void {
    this.#job(jobId).pause();
  }

  /** Resumes a paused upload, or retries a failed one. */
  resume(jobId: string): void {
    this.#job(jobId).resume();
  }

  /** The person's choice for an upload stopped on a name taken in its folder. */
  resolveNameConflict(jobId: string, choice: NameConflictChoice): void {
    const job = this.#job(jobId);
    if (job.resolveNameConflict(choice)) return;
    throw new ServiceError(
      choice === 'replace' && job.view().error?.takenBy === 'folder'
        ? 'A folder holds that name, so there is no file to replace; keep both instead.'
        : 'That upload is not waiting for a choice about its name.',
    );
  }

  /** Cancels an upload (its session on the server is aborted); the row stays, canceled. */
  async cancel(jobId: string): Promise<void> {
    await this.#job(jobId).cancel();
  }

  /** Takes a row out of the list: a refused file, or a job of the queue. */
  async remove(jobId: string): Promise<void> {
    if (this.#refused.remove(jobId)) {
      this.#current.rowRemoved(jobId);
      return;
    }
    this.#job(jobId);
    await this.#current.queue().remove(jobId);
  }

  /** The path to show in the file manager. */
  pathOf(jobId: string): string {
    return this.#job(jobId).record.path;
  }

  /** Pauses every upload not finished. */
  pauseAll(): void {
    this.#current.queue().pauseAll();
  }

  /** Resumes every paused upload. */
  resumeAll(): void {
    this.#current.queue().resumeAll();
  }

  /** Every failed upload back into the queue; those stopped on a taken name wait for their choice. */
  retryFailed(): { retried: number } {
    let retried = 0;
    for (const job of this.#current.queue().jobs()) {
      if (job.state !== 'failed' || job.view().error?.kind === 'name-taken') continue;
      job.resume();
      retried += 1;
    }
    return { retried };
  }

  /** Done and canceled uploads out of the list (the journal forgot them when they finished). */
  async clearFinished(): Promise<{ cleared: number }> {
    const queue = this.#current.queue();
    const finished = queue.jobs().filter((job) => FINISHED_STATES.has(job.state));
    for (const job of finished) await queue.remove(job.id);
    return { cleared: finished.length };
  }
}
