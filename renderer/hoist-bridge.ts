import type { HoistApi } from '../shared/ipc-contract.ts';
import { rejectionNotices } from '../shared/rejection-notices.ts';
import { useHoist } from './store/hoist-store.ts';

declare global {
  interface Window {
    /** Built by the preload (or, in browser tests, by the test bridge). */
    hoist: HoistApi;
  }
}

export const hoist = (): HoistApi => window.hoist;

/** Turns a rejected IPC call into a sentence for a notice. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Electron prefixes errors from main with "Error invoking remote method '...': Error: ".
  return message.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, '');
}

/** Loads the current state and follows main's updates; returns the unsubscribe. */
export async function connectStore(): Promise<() => void> {
  const api = hoist();
  const store = useHoist.getState();
  const unsubscribers = [
    api.onJobsUpdated((update) => useHoist.getState().applyUpdate(update)),
    api.onSettingsChanged((settings) => useHoist.getState().setSettings(settings)),
    api.onNotice((notice) => useHoist.getState().notify(notice)),
    api.onCommand(({ command }) => {
      if (command === 'open-settings') useHoist.getState().setSettingsOpen(true);
      if (command === 'add-files') void addFromDialog();
      if (command === 'add-folder') void addFromDialog('folders');
    }),
  ];
  const [{ jobs }, settings] = await Promise.all([api.listJobs(), api.getSettings()]);
  store.setJobs(jobs);
  store.setSettings(settings);
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}

/**
 * Reports what could not be queued, one notice per file (or a summary for many). A refusal that
 * stays in the list as a failed row (it has a jobId) needs no notice: the row says why.
 */
function reportRejected(rejected: Array<{ path: string; message: string; jobId?: string }>): void {
  const { notify } = useHoist.getState();
  for (const notice of rejectionNotices(rejected.filter((entry) => entry.jobId === undefined))) notify(notice);
}

/** Files dropped on the window: main registers them (by the OS's paths) and they are queued by id. */
export async function addDroppedFiles(files: File[]): Promise<void> {
  if (files.length === 0) return;
  try {
    const registered = await hoist().registerDroppedFiles(files);
    if (registered.files.length === 0) return;
    reportRejected((await hoist().addFiles({ fileIds: registered.files.map((file) => file.fileId) })).rejected);
  } catch (error) {
    useHoist.getState().notify({ level: 'error', message: errorMessage(error) });
  }
}

/** The native dialog for files, or for folders (uploaded with everything in them). */
export async function addFromDialog(pick: 'files' | 'folders' = 'files'): Promise<void> {
  try {
    reportRejected((await hoist().addFilesFromDialog(pick === 'folders' ? { pick } : {})).rejected);
  } catch (error) {
    useHoist.getState().notify({ level: 'error', message: errorMessage(error) });
  }
}

/** Runs a job action; a failure becomes a notice instead of vanishing. */
export async function act(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    useHoist.getState().notify({ level: 'error', message: errorMessage(error) });
  }
}
