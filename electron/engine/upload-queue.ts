import { EventEmitter } from 'node:events';
import {
  isParallelSetting,
  PARALLEL_DEFAULT,
  PARALLEL_RANGE_TEXT,
  type ParallelSetting,
} from '../../shared/settings-model.ts';
import type { JobError, JobProgressBatch, JobView } from '../../shared/job-model.ts';
import type { BoxClient } from '../box/box-client.ts';
import { AccountQuota } from './account-quota.ts';
import { RateGate, Slots } from './concurrency.ts';
import { JobRecord, type JobHooks, type UploadRequest } from './job-record.ts';
import { NetworkWaiter, type NetworkWaitOptions } from './network-waiter.ts';
import { DEFAULT_RECOVERY_BUDGETS, type RecoveryBudgets } from './retry-policy.ts';
import { StartOrder } from './start-order.ts';
import { UploadJob } from './upload-job.ts';

/** What a queue works with; only `client` is required. */
export interface QueueOptions {
  client: BoxClient;
  /** Parts in flight per job: "auto" (the default, adapting within Box's 3 to 5) or 1 to 8. */
  parallel?: ParallelSetting;
  /** Parts in flight across all jobs. Default 8. */
  maxPartsInFlight?: number;
  /** Jobs running at once. Default 3. */
  maxActiveJobs?: number;
  network?: NetworkWaitOptions;
  hooks?: JobHooks;
  random?: () => number;
  /** Check each new upload against the account's limits (/users/me) first. Default true. */
  checkQuota?: boolean;
  /** How long recoveries that wait on Box may take (retry-policy.ts); tests shorten them. */
  budgets?: Partial<RecoveryBudgets>;
}

/**
 * What a queue tells. Progress is not pushed: `progress-pending` says once that some is unread,
 * and the listener reads it with `takeProgress()` when it is ready to show it, so its reader is
 * the one throttle on its output and nothing runs while no part moves. Reading takes: a queue has
 * one progress reader (the app's UpdateBatcher, or the CLI's printer loop).
 */
export interface QueueEvents {
  /** A job's view changed. Its unread progress is still there: take it now to show both together. */
  'job-changed': [JobView];
  /** Progress became unread where none was; not told again until it is all read (or its jobs removed). */
  'progress-pending': [];
  'job-removed': [string];
}

/** The parts-in-parallel setting, checked: "auto" or 1 to 8; throws RangeError otherwise. */
export function checkParallel(value: ParallelSetting): ParallelSetting {
  if (!isParallelSetting(value)) {
    throw new RangeError(`parts in parallel must be ${PARALLEL_RANGE_TEXT}, not ${value}`);
  }
  return value;
}

/**
 * Many files: jobs start in the order they were added, at most `maxActiveJobs` at once, with one
 * cap on parts in flight across all of them and one 429 gate for the account.
 */
export class UploadQueue extends EventEmitter<QueueEvents> {
  readonly client: BoxClient;
  readonly network: NetworkWaiter;
  /** One /users/me per batch for every job of this target. */
  readonly quota: AccountQuota | undefined;
  readonly #jobs = new Map<string, UploadJob>();
  readonly #slots: Slots;
  readonly #gate = new RateGate();
  #parallel: ParallelSetting;
  readonly #maxActiveJobs: number;
  readonly #hooks: JobHooks;
  readonly #random: (() => number) | undefined;
  readonly #budgets: RecoveryBudgets;
  #idleWaiters: Array<() => void> = [];
  /** Jobs with progress not yet taken, in the order it first came. */
  #progressUnread = new Set<UploadJob>();
  /** Jobs whose run() has not settled: counted, so starting the next job costs no walk. */
  #running = 0;
  #pumpScheduled = false;
  /**
   * Every job that is queued and not running, ranked by the order added (possibly with stale
   * entries, skipped when taken): the pump starts the first ones without walking every job.
   */
  readonly #startable = new StartOrder<UploadJob>();
  /** Each job's place in the order added (a job adopted again under its id keeps its place). */
  readonly #ranks = new WeakMap<UploadJob, number>();
  #nextRank = 0;

  constructor(options: QueueOptions) {
    super();
    this.client = options.client;
    this.#parallel = checkParallel(options.parallel ?? PARALLEL_DEFAULT);
    this.#slots = new Slots(options.maxPartsInFlight ?? 8);
    this.#maxActiveJobs = options.maxActiveJobs ?? 3;
    this.#hooks = options.hooks ?? {};
    this.#random = options.random;
    this.#budgets = { ...DEFAULT_RECOVERY_BUDGETS, ...options.budgets };
    this.network = new NetworkWaiter(options.client, options.network);
    this.quota = options.checkQuota === false ? undefined : new AccountQuota(options.client);
  }

  /** Parts in flight per job now. */
  get parallel(): ParallelSetting {
    return this.#parallel;
  }

  /** A new number of parts in flight per job; running jobs use it from their next dispatch. Throws RangeError outside the range. */
  setParallel(parallel: ParallelSetting): void {
    this.#parallel = checkParallel(parallel);
  }

  /** Queues a new upload; it starts when a place among maxActiveJobs is free. */
  add(request: UploadRequest): UploadJob {
    return this.adopt(JobRecord.create(request));
  }

  /** Takes in a job from elsewhere (the journal): queued, paused, or failed with its error. */
  adopt(record: JobRecord, state: 'queued' | 'paused' | 'failed' = 'queued', error?: JobError): UploadJob {
    record.reportTo(this.#hooks);
    const job = new UploadJob(
      record,
      {
        client: this.client,
        slots: this.#slots,
        gate: this.#gate,
        parallel: () => this.#parallel,
        random: this.#random,
        budgets: this.#budgets,
        quota: this.quota,
      },
      this.network,
      {
        changed: (changed) => {
          this.emit('job-changed', changed.view());
          if (changed.state === 'queued') {
            this.#addStartable(changed);
            this.#schedulePump();
          }
        },
        progressPending: (pending) => {
          const first = this.#progressUnread.size === 0;
          this.#progressUnread.add(pending);
          if (first) this.emit('progress-pending');
        },
      },
      { state, error },
    );
    const earlier = this.#jobs.get(job.id);
    this.#ranks.set(job, earlier ? this.#ranks.get(earlier)! : this.#nextRank++);
    this.#jobs.set(job.id, job);
    if (state === 'queued') this.#addStartable(job);
    record.saveState(state, error); // the journal records it before it runs
    this.emit('job-changed', job.view());
    this.#schedulePump();
    return job;
  }

  /**
   * Every job's progress not read yet: the parts changed since the last read, each once as it is
   * now, with the job's totals. Empty when nothing moved.
   */
  takeProgress(): JobProgressBatch[] {
    const jobs = this.#progressUnread;
    this.#progressUnread = new Set();
    const batches: JobProgressBatch[] = [];
    for (const job of jobs) {
      const batch = job.takeProgress();
      if (batch) batches.push(batch);
    }
    return batches;
  }

  /** One job's unread progress, as takeProgress() gives it (for a consumer showing its state change). */
  takeJobProgress(id: string): JobProgressBatch | undefined {
    const job = this.#jobs.get(id);
    if (!job || !this.#progressUnread.delete(job)) return undefined;
    return job.takeProgress();
  }

  /** Every job, in the order added. */
  jobs(): UploadJob[] {
    return [...this.#jobs.values()];
  }

  /** The job with this id, if the queue has it. */
  get(id: string): UploadJob | undefined {
    return this.#jobs.get(id);
  }

  /** Pauses a job: in-flight parts end, nothing more is sent; it is not an error. */
  pause(id: string): void {
    this.#jobs.get(id)?.pause();
  }

  /** Puts a paused or failed job back in the queue. */
  resume(id: string): void {
    this.#jobs.get(id)?.resume();
  }

  /** Stops a job for good and aborts its session on the server. */
  async cancel(id: string): Promise<void> {
    await this.#jobs.get(id)?.cancel();
  }

  /** Cancels a job if it is unfinished (aborting its session) and forgets it. */
  async remove(id: string): Promise<void> {
    const job = this.#jobs.get(id);
    if (!job) return;
    await job.cancel('remove');
    this.#jobs.delete(id);
    this.#progressUnread.delete(job); // nobody shows a removed job's parts
    this.emit('job-removed', id);
    this.#notifyIfIdle();
  }

  /** Pauses every job. */
  pauseAll(): void {
    for (const job of this.#jobs.values()) job.pause();
  }

  /** Puts every paused job back in the queue. */
  resumeAll(): void {
    for (const job of this.#jobs.values()) if (job.state === 'paused') job.resume();
  }

  /** Stops every running job without marking it paused, so it resumes next time (quit). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.#jobs.values()].map((job) => job.shutdown()));
  }

  /** Resolves when nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #isIdle(): boolean {
    if (this.#running > 0) return false;
    // Only the queue runs jobs, so with none running every queued job is among the startable.
    // Entries no longer startable are dropped on the way, each once (a walk each time was O(n²)
    // for removing thousands of paused jobs one by one).
    for (let job = this.#startable.peek(); job !== undefined; job = this.#startable.peek()) {
      if (this.#isStartable(job)) return false;
      this.#startable.pop();
    }
    return true;
  }

  #notifyIfIdle(): void {
    if (!this.#isIdle()) return;
    this.quota?.invalidate(); // the next batch asks the account's space again
    if (this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** One pump per microtask, however many jobs were added or queued in the meantime. */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #addStartable(job: UploadJob): void {
    this.#startable.push(this.#ranks.get(job)!, job);
  }

  /** Still in the queue (not removed, nor replaced under its id), queued, and not running. */
  #isStartable(job: UploadJob): boolean {
    return this.#jobs.get(job.id) === job && job.state === 'queued' && !job.running;
  }

  /** Starts queued jobs in the order they were added, up to maxActiveJobs running. */
  #pump(): void {
    while (this.#running < this.#maxActiveJobs) {
      const job = this.#startable.pop();
      if (!job) break;
      if (!this.#isStartable(job)) continue; // it comes back when it is queued again
      this.#running += 1;
      void job.run().finally(() => {
        this.#running -= 1;
        if (job.state === 'queued') this.#addStartable(job); // queued again while it was running
        this.#pump();
      });
    }
    this.#notifyIfIdle();
  }
}
