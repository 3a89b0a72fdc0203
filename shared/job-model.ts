/**
 * The state of uploads as the renderer and the CLI see them. Plain data, no behaviour.
 *
 * A job's life (JobState):
 *
 *   queued ──► hashing ──► uploading ──► committing ──► done
 *     │           │            │  ▲  │        │
 *     │           │            │  │  └─► waiting-network ─┐   (server unreachable: probes, continues)
 *     │           │            │  └──────────────────────┘
 *     │           │            ├──► waiting-token ──► uploading   (token rejected: waits for a new one)
 *     │           │            └──► waiting-sign-in ──► uploading (the sign-in ended: waits for a new one;
 *     │           │                                                 confirmed parts are not sent again)
 *     └───────────┴────────────┴──► paused ──► (resume) ──► queued
 *   any active ──► failed ──► (retry) ──► queued
 *   any ──► canceled (the server session is aborted)
 *
 * hashing: reading the file before bytes can go out (direct uploads, re-checks after a restart).
 */
export type JobState =
  | 'queued'
  | 'hashing'
  | 'uploading'
  | 'paused'
  | 'waiting-network'
  | 'waiting-token'
  | 'waiting-sign-in'
  | 'committing'
  | 'done'
  | 'failed'
  | 'canceled';

/** Queued or running: the job moves on by itself. */
export const IN_PROGRESS_STATES: ReadonlySet<JobState> = new Set<JobState>([
  'queued',
  'hashing',
  'uploading',
  'waiting-network',
  'waiting-token',
  'waiting-sign-in',
  'committing',
]);
/** Over for good; nothing more will happen to the job. */
export const FINISHED_STATES: ReadonlySet<JobState> = new Set<JobState>(['done', 'canceled']);

/**
 * A part's life: pending ──► reading ──► uploading ──► done
 *                                           │   ▲
 *                                           ▼   │
 *                                         retrying      (failed: the job stopped on it)
 */
export type PartState = 'pending' | 'reading' | 'uploading' | 'retrying' | 'done' | 'failed';

export interface PartProgress {
  state: PartState;
  /** Bytes of this part handed to the network in the current attempt. */
  bytesSent: number;
  /** Bytes of this part Box has confirmed (the part's size once done, else 0). */
  bytesConfirmed: number;
  /** Attempts so far (1 on the first try). */
  attempts: number;
  /** The last error for this part, in words. */
  lastError?: string;
}

/** A failure told in words a person can act on; Box's code kept for the detail line. */
export interface JobError {
  kind:
    | 'file-changed'
    | 'file-unreadable'
    | 'name-rejected'
    | 'name-taken'
    | 'folder-missing'
    | 'token-rejected'
    | 'sign-in-required'
    | 'server-unreachable'
    | 'server-error'
    | 'quota'
    | 'session-lost'
    | 'internal';
  /** One sentence: what happened and what to do. */
  message: string;
  /** Box's error code and request id, or the system error code. */
  detail?: string;
  /** When the next automatic attempt happens (ms since epoch), while waiting. */
  retryAtMs?: number;
  /** For 'name-taken': what holds the name. A file can be replaced (a new version); a folder cannot. */
  takenBy?: 'file' | 'folder';
}

/**
 * When the destination already has an item with the file's name: 'ask' stops the job with a
 * 'name-taken' error and lets the person choose; 'replace' uploads a new version of that file
 * (Box keeps the old one in its version history); 'keep-both' uploads as "name (1).ext".
 */
export type NameConflictPolicy = 'ask' | 'replace' | 'keep-both';
export const NAME_CONFLICT_POLICIES: readonly NameConflictPolicy[] = ['ask', 'replace', 'keep-both'];
/** What a person can choose for a job stopped on a name conflict. */
export type NameConflictChoice = Exclude<NameConflictPolicy, 'ask'>;

export interface JobTotals {
  sizeBytes: number;
  bytesConfirmed: number;
  bytesSent: number;
  partsDone: number;
  totalParts: number;
  /** Smoothed upload speed; 0 when not moving. */
  speedBytesPerSec: number;
  /** Seconds to go at the current speed; null when unknown. */
  etaSeconds: number | null;
}

export interface JobView {
  id: string;
  path: string;
  fileName: string;
  state: JobState;
  /** 'direct' for files under 20,000,000 bytes, else 'session'. */
  method: 'direct' | 'session' | 'unknown';
  /** The session's part size (every part but the last), once the server chose it. */
  partSizeBytes?: number;
  totals: JobTotals;
  error?: JobError;
  /** Box's file id once done. */
  fileId?: string;
  /** SHA-1 hex of the uploaded file once done. */
  sha1?: string;
  /** For files of a dropped folder: the folder on Box they go to ("Trip photos/day 2"). */
  folderPath?: string;
  /**
   * The Box folder the file goes (or went) into, as folder names from the root:
   * ["All Files", "Projects", "Trip photos"]. Absent for jobs made before Hoist recorded it.
   */
  destinationPath?: string[];
  /** Refused when it was added (a missing file, a pipe): never queued; it can only be removed. */
  refused?: true;
  /** Done without sending anything: the folder already held a file of this name with the same SHA-1. */
  identicalOnBox?: boolean;
  /** Set when the job continued an upload started by an earlier run. */
  resumed?: { partsAlreadyUploaded: number; totalParts: number };
  createdAtMs: number;
}

/** Changed parts of one job, plus its totals: what a progress event carries. */
export interface JobProgressBatch {
  jobId: string;
  totals: JobTotals;
  /** Only parts that changed since the last batch: [index, progress]. */
  parts: Array<[number, PartProgress]>;
}

/** What changed since the last update; sent at most every ~100 ms, state changes at once. */
export interface JobsUpdate {
  changed: JobView[];
  removed: string[];
  progress: JobProgressBatch[];
}

export interface AddFilesResult {
  added: JobView[];
  /**
   * Paths that could not be queued, each with the reason in words. `jobId`: the failed row the
   * refusal stays in the list as (absent when none was made, e.g. for a file already queued).
   */
  rejected: Array<{ path: string; message: string; jobId?: string }>;
}

export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
}

export interface AppInfo {
  version: string;
  platform: string;
}
