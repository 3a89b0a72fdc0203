import { IN_PROGRESS_STATES, type JobView } from '../../shared/job-model.ts';

/** The whole queue in numbers, kept up to date per changed job (never by walking every job). */
export interface QueueSummary {
  files: number;
  sizeBytes: number;
  bytesConfirmed: number;
  bytesSent: number;
  speedBytesPerSec: number;
  /** Bytes of queued and running files still to be confirmed: what the ETA is about. */
  activeRemainingBytes: number;
  /** Queued or running. */
  active: number;
  paused: number;
  done: number;
  canceled: number;
  /** Failed, refused when added included; not those waiting for a choice about their name. */
  failed: number;
  /** Of the failed, those Retry failed sends again (a refused file cannot be retried). */
  retryable: number;
  /** Stopped because the destination has the name: waiting for a person's choice. */
  namesTaken: number;
  /** Of those, how many a folder holds (those cannot be replaced). */
  namesTakenByFolder: number;
  /** Rows a person has to act on: failed, a name choice, a sign-in or token to give. */
  attention: number;
}

export const EMPTY_SUMMARY: QueueSummary = {
  files: 0,
  sizeBytes: 0,
  bytesConfirmed: 0,
  bytesSent: 0,
  speedBytesPerSec: 0,
  activeRemainingBytes: 0,
  active: 0,
  paused: 0,
  done: 0,
  canceled: 0,
  failed: 0,
  retryable: 0,
  namesTaken: 0,
  namesTakenByFolder: 0,
  attention: 0,
};

/** Stopped because the destination already has the name: waiting for a person's choice. */
export const awaitsNameChoice = (job: JobView | undefined): boolean =>
  job?.state === 'failed' && job.error?.kind === 'name-taken';

/** The person has to do something for this row to move on (see QueueSummary.attention). */
export const needsAttention = (job: JobView | undefined): boolean =>
  job?.state === 'failed' || job?.state === 'waiting-sign-in' || job?.state === 'waiting-token';

/** What one job adds to the summary (a canceled one only counts as a file). */
function contribution(job: JobView): QueueSummary {
  const counted = job.state !== 'canceled';
  const done = job.state === 'done';
  const active = IN_PROGRESS_STATES.has(job.state);
  const nameTaken = awaitsNameChoice(job);
  const failed = job.state === 'failed' && !nameTaken;
  return {
    files: 1,
    sizeBytes: counted ? job.totals.sizeBytes : 0,
    bytesConfirmed: counted ? (done ? job.totals.sizeBytes : job.totals.bytesConfirmed) : 0,
    bytesSent: counted ? (done ? job.totals.sizeBytes : job.totals.bytesSent) : 0,
    speedBytesPerSec: active ? job.totals.speedBytesPerSec : 0,
    activeRemainingBytes: active ? Math.max(0, job.totals.sizeBytes - job.totals.bytesConfirmed) : 0,
    active: active ? 1 : 0,
    paused: job.state === 'paused' ? 1 : 0,
    done: done ? 1 : 0,
    canceled: job.state === 'canceled' ? 1 : 0,
    failed: failed ? 1 : 0,
    retryable: failed && !job.refused ? 1 : 0,
    namesTaken: nameTaken ? 1 : 0,
    namesTakenByFolder: nameTaken && job.error?.takenBy === 'folder' ? 1 : 0,
    attention: needsAttention(job) ? 1 : 0,
  };
}

/** The summary with `before` taken out and `after` put in (either may be absent). */
export function adjustSummary(summary: QueueSummary, before: JobView | undefined, after: JobView | undefined) {
  const next = { ...summary };
  const keys = Object.keys(next) as Array<keyof QueueSummary>;
  if (before) {
    const minus = contribution(before);
    for (const key of keys) next[key] -= minus[key];
  }
  if (after) {
    const plus = contribution(after);
    for (const key of keys) next[key] += plus[key];
  }
  return next;
}

export function summarize(jobs: Iterable<JobView>): QueueSummary {
  let summary = EMPTY_SUMMARY;
  for (const job of jobs) summary = adjustSummary(summary, undefined, job);
  return summary;
}
