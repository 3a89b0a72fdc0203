import type { JobState } from '../../shared/job-model.ts';
import type { BoxClient } from '../box/box-client.ts';
import type { ParallelSetting } from '../../shared/settings-model.ts';
import type { AccountQuota } from './account-quota.ts';
import type { RateGate, Slots } from './concurrency.ts';
import type { RunningRecord } from './job-record.ts';
import type { JobProgress } from './job-progress.ts';
import type { RecoveryBudgets } from './retry-policy.ts';
import type { OpenedFile } from './source-file.ts';
import type { RetryContext } from './with-retries.ts';

export type { Destination } from './job-record.ts';

/** What the queue shares with all its jobs. */
export interface EngineContext {
  client: BoxClient;
  slots: Slots;
  gate: RateGate;
  /** The parts-in-flight setting, read on every dispatch. */
  parallel(): ParallelSetting;
  random?: (() => number) | undefined;
  budgets?: RecoveryBudgets | undefined;
  /** The account's limits (/users/me), checked before a new upload sends anything. */
  quota?: AccountQuota | undefined;
}

/** The queue's limits a job's part pipeline shares with every other job. */
export type PartLimits = Pick<EngineContext, 'slots' | 'gate' | 'parallel'>;

/**
 * What one run of one job works with. The Box client, the run's abort signal, jitter and
 * recovery budgets travel once, in `retry`; the record is a running one (it has a snapshot).
 */
export interface JobRuntime {
  record: RunningRecord;
  file: OpenedFile;
  limits: PartLimits;
  retry: RetryContext;
  /** The job's progress model for this many parts (a new one when the count changed). */
  progressFor(totalParts: number): JobProgress;
  /** Drops the progress model; the next progressFor builds it from what is confirmed. */
  resetProgress(): void;
  setState(state: JobState): void;
  /**
   * Checks that run beside the session's creation and the first part's read (the account's
   * quota): awaited before the first byte of the file is sent; a rejection stops the upload.
   */
  preflight?: Promise<void> | undefined;
}
