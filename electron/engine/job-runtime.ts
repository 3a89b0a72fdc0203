import type { JobError, JobState, NameConflictPolicy } from '../../shared/job-model.ts';
import type { BoxClient } from '../box/box-client.ts';
import type { ParallelSetting } from '../../shared/settings-model.ts';
import type { UploadedPart, UploadSession } from '../box/box-types.ts';
import type { AccountQuota } from './account-quota.ts';
import type { RateGate, Slots } from './concurrency.ts';
import type { FileSnapshot } from './file-snapshot.ts';
import type { JobProgress } from './job-progress.ts';
import type { RecoveryBudgets } from './retry-policy.ts';
import type { ResumableSha1 } from './sha1/resumable-sha1.ts';
import type { OpenedFile } from './source-file.ts';
import type { RetryContext } from './with-retries.ts';

export type Destination = { kind: 'folder'; folderId: string } | { kind: 'new-version'; fileId: string };

/** Everything known about one upload; what the journal persists (without the token). */
export interface JobRecord {
  id: string;
  path: string;
  fileName: string;
  destination: Destination;
  /** What to do when the name is taken in the destination folder (undefined: ask). */
  onNameConflict?: NameConflictPolicy | undefined;
  createdAtMs: number;
  /** Taken when the upload began; compared on every read, before commit and on resume. */
  snapshot: FileSnapshot | undefined;
  session: UploadSession | undefined;
  /** Parts the server confirmed, by index. */
  confirmed: Map<number, UploadedPart>;
  /** The whole-file SHA-1 over the parts read so far, in order. */
  wholeFile: ResumableSha1;
  /** SHA-1 of every part hashed in this process, for content checks. */
  partDigests: Map<number, string>;
  /** The destination folder's path on Box, for display (files of a dropped folder). */
  folderPath?: string | undefined;
  /** The destination folder as names from the root ("All Files", "Projects"), for display. */
  destinationPath?: string[] | undefined;
  /** The file's size when it was added, shown until the snapshot is taken (a queued file is not "0 B"). */
  sizeHintBytes?: number | undefined;
  /** Set when the folder already held this exact file under the name, so nothing was sent. */
  identicalOnBox?: boolean;
  /** Set when this run continued an upload an earlier run began. */
  resumedFrom?: { partsAlreadyUploaded: number; totalParts: number };
  /** Read back from the journal (an earlier process began this upload). */
  restored?: boolean;
}

/** Called as a job's durable facts change: the journal listens (issue #4). */
export interface JobHooks {
  sessionChanged?(record: JobRecord): void;
  partConfirmed?(record: JobRecord, index: number, part: UploadedPart): void;
  hashAdvanced?(record: JobRecord): void;
  snapshotChanged?(record: JobRecord): void;
  stateChanged?(record: JobRecord, state: JobState, error?: JobError): void;
  /** The job is over for good (done, canceled, removed, or its file changed). */
  finished?(record: JobRecord, state: JobState): void;
}

/** What the queue shares with all its jobs. */
export interface EngineContext {
  client: BoxClient;
  slots: Slots;
  gate: RateGate;
  /** The parts-in-flight setting, read on every dispatch. */
  parallel(): ParallelSetting;
  random?: (() => number) | undefined;
  budgets?: RecoveryBudgets | undefined;
  hooks: JobHooks;
  /** The account's limits (/users/me), checked before a new upload sends anything. */
  quota?: AccountQuota | undefined;
}

/** What one run of one job works with. */
export interface JobRuntime {
  record: JobRecord;
  file: OpenedFile;
  engine: EngineContext;
  retry: RetryContext;
  /** The job's progress model for this many parts (a new one when the count changed). */
  progressFor(totalParts: number): JobProgress;
  /** Drops the progress model; the next progressFor builds it from what is confirmed. */
  resetProgress(): void;
  setState(state: JobState): void;
  signal: AbortSignal;
  /**
   * Checks that run beside the session's creation and the first part's read (the account's
   * quota): awaited before the first byte of the file is sent; a rejection stops the upload.
   */
  preflight?: Promise<void> | undefined;
}
