import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FOLDER_ID_PATTERN } from '../../shared/folder-model.ts';
import type { JobView, NameConflictPolicy } from '../../shared/job-model.ts';
import { CertificateError, ProxyError } from '../box/http-transport.ts';
import type { JournalHold } from '../engine/journal/journal-hold.ts';
import type { UploadQueue } from '../engine/upload-queue.ts';
import type { CliTarget } from './cli-target.ts';
import { openCliSession, reportJournalProblems } from './cli-session.ts';
import { expandFolders, type FolderReport } from './expand-folders.ts';
import { jsonPrinter, plainPrinter, ttyPrinter, type ProgressPrinter } from './progress-printer.ts';
import { defaultStateDir } from './state-dir.ts';
import { TRANSFER_OPTIONS, transferFlags } from './transfer-flags.ts';
import { UsageError } from './usage-error.ts';
import { printable } from '../../shared/printable.ts';
import { shareFlag, sharingPrinter, type SharingPrinter } from './share-printer.ts';

export const UPLOAD_USAGE = `hoist upload <file...> [--api-url URL] [--upload-url URL] [--token T | --token-file PATH] [--folder ID]
             [--parallel auto|N] [--limit-rate RATE] [--state-dir DIR] [--json]
             [--on-conflict fail|replace|keep-both] [--recursive]
             [--share open|company|collaborators]`;

/** --on-conflict: what to do when the folder already has the name (the CLI cannot ask: fail). */
export function onConflictFlag(value: string | undefined): NameConflictPolicy {
  if (value === undefined || value === 'fail') return 'ask';
  if (value === 'replace' || value === 'keep-both') return value;
  throw new UsageError(`--on-conflict must be fail, replace or keep-both, not "${value}"`);
}

export const TARGET_OPTIONS = {
  'api-url': { type: 'string' },
  'upload-url': { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  'state-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The printer for where output goes: JSON events, a terminal's live lines, or plain lines. */
export function printerFor(json: boolean | undefined): ProgressPrinter {
  if (json) return jsonPrinter(process.stdout);
  return process.stdout.isTTY
    ? ttyPrinter(process.stdout, process.stderr)
    : plainPrinter(process.stdout, process.stderr);
}

/**
 * Wires a queue to a printer, lets `start` add jobs, waits until all settled; returns the exit
 * code. Ctrl-C stops the uploads, leaves them in the journal and exits 130.
 *
 * Progress is read from the queue at the printer's rate (the CLI's one throttle), and only while
 * something changed: the timer is armed when progress becomes pending or a job changes. A job's
 * own unread progress is read just before its state change is printed, so a done or stopped job
 * never follows with parts still on their way.
 */
export async function runQueue(
  queue: UploadQueue,
  printer: ProgressPrinter | SharingPrinter,
  start: () => void,
  hold?: JournalHold,
): Promise<number> {
  const views = new Map<string, JobView>();
  let toldToSignIn = false;
  let readTimer: NodeJS.Timeout | undefined;
  let reading = true;
  const readProgress = (): void => {
    readTimer = undefined;
    for (const batch of queue.takeProgress()) {
      const job = queue.get(batch.jobId);
      if (job) printer.progress(job.view(), batch);
    }
    printer.tick();
  };
  const readSoon = (): void => {
    if (reading) readTimer ??= setTimeout(readProgress, printer.intervalMs);
  };
  queue.on('progress-pending', readSoon);
  queue.on('job-changed', (view) => {
    views.set(view.id, view);
    const batch = queue.takeJobProgress(view.id);
    if (batch) printer.progress(view, batch);
    printer.changed(view);
    readSoon(); // a live display shows the change at the next read
    if (view.state === 'waiting-sign-in' && !toldToSignIn) {
      toldToSignIn = true;
      const api = queue.client.target.apiBaseUrl;
      process.stderr.write(
        `hoist: the sign-in to ${api} has ended; uploads wait: run hoist login --api-url ${api} (in another terminal)\n`,
      );
    }
  });
  let interrupted = false;
  let stop = (): void => undefined;
  const stopped = new Promise<void>((resolveStop) => (stop = resolveStop));
  const interrupt = (): void => {
    interrupted = true;
    stop();
    void queue.shutdown();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    start();
    for (;;) {
      await queue.whenIdle();
      // Jobs paused because the journal cannot be written (a full disk) are not finished: wait.
      if (interrupted || !hold?.holding) break;
      await Promise.race([hold.writable(), stopped]);
    }
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    reading = false; // what is left unread is in-flight progress of stopped runs
    if (readTimer) clearTimeout(readTimer);
  }
  const linksMade = 'settled' in printer ? await printer.settled() : true;
  printer.close();
  if ([...views.values()].some((view) => view.error?.kind === 'sign-in-required')) {
    const api = queue.client.target.apiBaseUrl;
    process.stderr.write(
      `hoist: the sign-in to ${api} has ended: run hoist login --api-url ${api}, then hoist resume\n`,
    );
  }
  if (interrupted) {
    process.stderr.write('hoist: interrupted; run `hoist resume` to continue where the uploads stopped\n');
    return 130;
  }
  return linksMade && [...views.values()].every((view) => view.state === 'done') ? 0 : 1;
}

/** A server that cannot be reached at all fails every file at once with one clear line each. */
export async function reachable(target: CliTarget, queue: UploadQueue, paths: string[], json: boolean | undefined) {
  let message = `${target.label} (${target.client.target.apiBaseUrl}) cannot be reached`;
  for (let attempt = 0; attempt < 3; attempt++) {
    // A rejected token is reported per file by the upload itself; a refused certificate or proxy here, once.
    const answer = await queue.network
      .probe()
      .catch((error: unknown) => (error instanceof CertificateError || error instanceof ProxyError ? error : true));
    if (answer === true) return true;
    if (answer instanceof Error) {
      message = answer.message;
      break;
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 500 * (attempt + 1)));
  }
  for (const path of paths) {
    if (json)
      process.stdout.write(
        `${JSON.stringify({ event: 'failed', path, error: { kind: 'server-unreachable', message } })}\n`,
      );
    else process.stderr.write(`${printable(`hoist: ${path}: ${message}`)}\n`);
  }
  return false;
}

/** Lines for what a --recursive expansion left out or could not make. */
function folderReport(json: boolean | undefined): FolderReport {
  const line = (event: 'skipped' | 'failed', path: string, message: string): void => {
    if (json) {
      const detail = event === 'failed' ? { error: { kind: 'folder-failed', message } } : { message };
      process.stdout.write(`${JSON.stringify({ event, path, ...detail })}\n`);
    } else {
      process.stderr.write(
        `${printable(`hoist: ${path}: ${event === 'skipped' ? `left out: ${message}` : message}`)}\n`,
      );
    }
  };
  return {
    skipped: (path, message) => line('skipped', path, message),
    failed: (path, message) => line('failed', path, message),
  };
}

/** `hoist upload <file...>`: exit 0 when every file uploaded, 1 when any failed, 2 for usage. */
export async function uploadCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      ...TARGET_OPTIONS,
      ...TRANSFER_OPTIONS,
      folder: { type: 'string' },
      'on-conflict': { type: 'string' },
      recursive: { type: 'boolean', short: 'r' },
      share: { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('name at least one file to upload');
  const folderId = values.folder ?? '0';
  if (!FOLDER_ID_PATTERN.test(folderId))
    throw new UsageError(`--folder must be a folder id (digits), not "${folderId}"`);
  const transfer = transferFlags(values);
  const onNameConflict = onConflictFlag(values['on-conflict']);
  const share = shareFlag(values.share);
  const stateDir = resolve(values['state-dir'] ?? defaultStateDir());
  const session = await openCliSession(values, stateDir, transfer);
  try {
    const { queue, target, journal } = session;
    // The same file named twice (`hoist upload a.bin ./a.bin`) is uploaded once.
    const paths = [...new Set(positionals.map((path) => resolve(path)))];
    // The server is asked while the journal is read: the first byte waits for one, not both.
    const answering = reachable(target, queue, paths, values.json);
    // A file with an unfinished upload to the same place continues it instead of starting over.
    const unfinished = journal.restore();
    if (!(await answering)) return 1;
    reportJournalProblems(journal.store);
    const expanded = await expandFolders(paths, {
      client: target.client,
      folderId,
      recursive: values.recursive ?? false,
      report: folderReport(values.json),
    });
    const printer = printerFor(values.json);
    const code = await runQueue(
      queue,
      share
        ? sharingPrinter(printer, target.client, share, {
            json: values.json ?? false,
            out: process.stdout,
            err: process.stderr,
          })
        : printer,
      () => {
        const queued = new Set<string>();
        for (const { path, folderId: into, folderPath } of expanded.targets) {
          if (queued.has(`${into}/${path}`)) continue; // inside a folder that was named too
          queued.add(`${into}/${path}`);
          const earlier = unfinished.find(
            ({ record }) =>
              record.path === path && record.destination.kind === 'folder' && record.destination.folderId === into,
          );
          if (earlier) queue.adopt(earlier.record);
          else
            queue.add({
              path,
              destination: { kind: 'folder', folderId: into },
              onNameConflict,
              ...(folderPath ? { folderPath } : {}),
            });
        }
      },
      session.hold,
    );
    return expanded.failed ? Math.max(code, 1) : code;
  } finally {
    await session.close();
  }
}
