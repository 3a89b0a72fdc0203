import { cpSync } from 'node:fs';
import type { JobHooks } from '../../electron/engine/job-record.ts';
import { JobJournal } from '../../electron/engine/journal/job-journal.ts';
import { JournalStore } from '../../electron/engine/journal/journal-store.ts';
import { tempDir } from './temp-dir.ts';

/**
 * The journal as a crash would leave it when a job enters `state`: `hooks` is the real journal of
 * a queue's jobs on localbox at `localboxUrl`, and a copy of its directory is taken at that moment;
 * `restore` reads the jobs back from the copy, as a restarted app would.
 */
export async function journalCopiedAt(
  t: { after(cleanup: () => unknown): void },
  localboxUrl: string,
  state: Parameters<NonNullable<JobHooks['stateChanged']>>[1],
) {
  const live = await tempDir(t);
  const copy = await tempDir(t);
  const target = { kind: 'custom' as const, apiBaseUrl: localboxUrl, uploadBaseUrl: `${localboxUrl}/api` };
  const journal = new JobJournal(JournalStore.open(live), { target, keepFailed: 'resumable' });
  const hooks: JobHooks = {
    sessionChanged: (record) => journal.sessionChanged(record),
    partConfirmed: (record, index, part) => journal.partConfirmed(record, index, part),
    hashAdvanced: (record) => journal.hashAdvanced(record),
    snapshotChanged: (record) => journal.snapshotChanged(record),
    stateChanged: (record, entered, error) => {
      journal.stateChanged(record, entered, error);
      if (entered !== state) return;
      journal.flush();
      cpSync(live, copy, { recursive: true });
    },
    finished: (record) => journal.finished(record),
  };
  const restore = () => new JobJournal(JournalStore.open(copy), { target, keepFailed: 'resumable' }).restore();
  return { hooks, restore };
}
