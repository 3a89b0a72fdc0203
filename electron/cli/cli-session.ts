import type { JournalStore } from '../engine/journal/journal-store.ts';
import { StateLockedError, type StateLock } from '../engine/journal/state-lock.ts';
import { openStateDir, openUploads, type Uploads } from '../host/uploads.ts';
import { openTarget, type CliTarget, type TargetFlags } from './cli-target.ts';
import type { TransferSettings } from './transfer-flags.ts';
import { CliError, describeFsError } from './usage-error.ts';
import { printable } from '../../shared/printable.ts';

/** In a script, a server that went away is waited for this long before a file counts as failed. */
const CLI_NETWORK_WAIT_MS = 15 * 60_000;

export type CliSession = Uploads;

const reportedProblems = new WeakMap<JournalStore, number>();

/**
 * Journal problems found since the last call (at open: a corrupt journal; at restore: torn
 * part-log lines, refused session URLs), one warning line each on stderr.
 */
export function reportJournalProblems(store: JournalStore): void {
  for (const problem of store.problems.slice(reportedProblems.get(store) ?? 0)) {
    const kept = problem.setAsidePath ? ` (kept in ${problem.setAsidePath})` : '';
    process.stderr.write(`${printable(`hoist: warning: ${problem.message}${kept}`)}\n`);
  }
  reportedProblems.set(store, store.problems.length);
}

/** Takes the state directory's lock and opens its journal; reports journal problems on stderr. */
export function openJournal(stateDir: string): { lock: StateLock; store: JournalStore } {
  const opened = openStateDir(stateDir, (error) =>
    error instanceof StateLockedError
      ? new CliError(error.message)
      : new CliError(`cannot use the state directory ${stateDir}: ${describeFsError(error as NodeJS.ErrnoException)}`),
  );
  reportJournalProblems(opened.store);
  return opened;
}

/** Lock, journal, target and queue for `hoist upload` and `hoist resume` (the composition in electron/host/uploads.ts). */
export async function openCliSession(
  flags: TargetFlags,
  stateDir: string,
  { parallel, uploadLimitBytesPerSec }: TransferSettings,
): Promise<CliSession> {
  const { lock, store } = openJournal(stateDir);
  let target: CliTarget;
  try {
    target = await openTarget(flags, stateDir);
  } catch (error) {
    lock.release();
    throw error;
  }
  target.client.uploadRate.set(uploadLimitBytesPerSec);
  const uploads = openUploads({
    store,
    target,
    keepFailed: 'resumable',
    parallel,
    network: { maxWaitMs: CLI_NETWORK_WAIT_MS },
    warn: (message) => process.stderr.write(`${printable(`hoist: ${message}`)}\n`),
  });
  return {
    ...uploads,
    async close() {
      await uploads.close();
      lock.release();
    },
  };
}
