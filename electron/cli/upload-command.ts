import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { JobView } from '../../shared/job-model.ts';
import { checkParallel, UploadQueue } from '../engine/upload-queue.ts';
import { openTarget, type CliTarget } from './cli-target.ts';
import { jsonPrinter, plainPrinter, ttyPrinter, type ProgressPrinter } from './progress-printer.ts';
import { defaultStateDir } from './state-dir.ts';
import { UsageError, wholeNumberFlag } from './usage-error.ts';

export const UPLOAD_USAGE = `hoist upload <file...> [--api-url URL] [--upload-url URL] [--token T] [--folder ID]
             [--parallel N] [--state-dir DIR] [--json]`;

export const TARGET_OPTIONS = {
  'api-url': { type: 'string' },
  'upload-url': { type: 'string' },
  token: { type: 'string' },
  'state-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** In a script, a server that went away is waited for this long before the file counts as failed. */
const CLI_NETWORK_WAIT_MS = 15 * 60_000;

export function printerFor(json: boolean | undefined): ProgressPrinter {
  if (json) return jsonPrinter(process.stdout);
  return process.stdout.isTTY
    ? ttyPrinter(process.stdout, process.stderr)
    : plainPrinter(process.stdout, process.stderr);
}

/** Wires a queue to a printer, lets `start` add jobs, waits until all settled; returns the exit code. */
export async function runQueue(queue: UploadQueue, printer: ProgressPrinter, start: () => void): Promise<number> {
  const views = new Map<string, JobView>();
  queue.on('job-changed', (view) => {
    views.set(view.id, view);
    printer.changed(view);
  });
  queue.on('progress', (batch) => {
    const job = queue.get(batch.jobId);
    if (job) printer.progress(job.view(), batch);
  });
  start();
  await queue.whenIdle();
  printer.close();
  return [...views.values()].every((view) => view.state === 'done') ? 0 : 1;
}

/** A server that cannot be reached at all fails every file at once with one clear line each. */
export async function reachable(target: CliTarget, queue: UploadQueue, paths: string[], json: boolean | undefined) {
  for (let attempt = 0; attempt < 3; attempt++) {
    // A rejected token is reported per file by the upload itself.
    if (await queue.network.probe().catch(() => true)) return true;
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 500 * (attempt + 1)));
  }
  const message = `${target.label} (${target.client.target.apiBaseUrl}) cannot be reached`;
  for (const path of paths) {
    if (json)
      process.stdout.write(
        `${JSON.stringify({ event: 'failed', path, error: { kind: 'server-unreachable', message } })}\n`,
      );
    else process.stderr.write(`hoist: ${path}: ${message}\n`);
  }
  return false;
}

/** `hoist upload <file...>`: exit 0 when every file uploaded, 1 when any failed, 2 for usage. */
export async function uploadCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { ...TARGET_OPTIONS, folder: { type: 'string' }, parallel: { type: 'string' } },
  });
  if (positionals.length === 0) throw new UsageError('name at least one file to upload');
  const folderId = values.folder ?? '0';
  if (!/^\d+$/.test(folderId)) throw new UsageError(`--folder must be a folder id (digits), not "${folderId}"`);
  let parallel: number | undefined;
  try {
    parallel = checkParallel(wholeNumberFlag('parallel', values.parallel) ?? 4);
  } catch (error) {
    throw new UsageError(`--parallel: ${(error as Error).message}`);
  }
  const stateDir = resolve(values['state-dir'] ?? defaultStateDir());
  const target = await openTarget(values, stateDir);
  try {
    const queue = new UploadQueue({ client: target.client, parallel, network: { maxWaitMs: CLI_NETWORK_WAIT_MS } });
    const paths = positionals.map((path) => resolve(path));
    if (!(await reachable(target, queue, paths, values.json))) return 1;
    return await runQueue(queue, printerFor(values.json), () => {
      for (const path of paths) queue.add({ path, destination: { kind: 'folder', folderId } });
    });
  } finally {
    await target.close();
  }
}
