import { join } from 'node:path';
import { JobJournal } from '../engine/journal/job-journal.ts';
import type { JournalTarget } from '../engine/journal/journal-schema.ts';
import { JournalStore } from '../engine/journal/journal-store.ts';
import { JournalHold } from '../engine/journal/journal-hold.ts';
import { StateLock, StateLockedError } from '../engine/journal/state-lock.ts';
import { UploadQueue } from '../engine/upload-queue.ts';
import { openTarget, type CliTarget, type TargetFlags } from './cli-target.ts';
import type { TransferSettings } from './transfer-flags.ts';
import { CliError, describeFsError } from './usage-error.ts';
import { printable } from '../../shared/printable.ts';

/** In a script, a server that went away is waited for this long before a file counts as failed. */
const CLI_NETWORK_WAIT_MS = 15 * 60_000;

export interface CliSession {
  target: CliTarget;
  journal: JobJournal;
  queue: UploadQueue;
  /** Holds uploads while the journal cannot be written (a full disk). */
  hold: JournalHold;
  close(): Promise<void>;
}

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
  let lock: StateLock;
  try {
    lock = StateLock.acquire(stateDir);
  } catch (error) {
    if (error instanceof StateLockedError) throw new CliError(error.message);
    throw new CliError(
      `cannot use the state directory ${stateDir}: ${describeFsError(error as NodeJS.ErrnoException)}`,
    );
  }
  try {
    const store = JournalStore.open(join(stateDir, 'journal'));
    reportJournalProblems(store);
    return { lock, store };
  } catch (error) {
    lock.release();
    throw error;
  }
}

export function journalTargetOf(target: CliTarget): JournalTarget {
  return target.localbox
    ? { kind: 'embedded', origin: target.localbox.url }
    : {
        kind: 'custom',
        apiBaseUrl: target.client.target.apiBaseUrl,
        uploadBaseUrl: target.client.target.uploadBaseUrl,
      };
}

/** Lock, journal, target and queue for `hoist upload` and `hoist resume`. */
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
  const aborts = new Set<Promise<void>>();
  const hold = new JournalHold((message) => process.stderr.write(`${printable(`hoist: ${message}`)}\n`));
  const journal = new JobJournal(store, {
    target: journalTargetOf(target),
    keepFailed: 'resumable',
    onWriteFailed: hold.failed,
    onWriteRecovered: hold.recovered,
    abortSession: (url) => {
      const abort = target.client.abortUploadSession(url).catch(() => undefined); // gone already: fine
      aborts.add(abort);
      void abort.finally(() => aborts.delete(abort));
    },
  });
  const queue = new UploadQueue({
    client: target.client,
    parallel,
    network: { maxWaitMs: CLI_NETWORK_WAIT_MS },
    hooks: journal,
  });
  hold.attach(queue);
  return {
    target,
    journal,
    queue,
    hold,
    async close() {
      await queue.shutdown();
      await Promise.all([...aborts]);
      journal.close();
      await target.close();
      lock.release();
    },
  };
}
