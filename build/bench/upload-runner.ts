/**
 * One benchmark upload in its own process, so its CPU time and peak RSS are its own. bench.ts
 * bundles it to JavaScript first, as the app ships, so Node's TypeScript loader is not measured.
 * argv: <hoist|hoist-many|sdk> <url> <token> <file or, for hoist-many, a directory> [parallel|auto].
 * Prints one JSON line with the measurements.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BoxClient } from '../../electron/box/box-client.ts';
import { FixedTokenSource } from '../../electron/box/token-source.ts';
import { sha1BackendName } from '../../electron/engine/sha1/resumable-sha1.ts';
import { UploadQueue } from '../../electron/engine/upload-queue.ts';

const [mode, url, token, path, parallelText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string | undefined,
];
const sizeBytes = (await stat(path)).size;
const name = `${mode}-${Date.now()}-${basename(path)}`;
const parallel = parallelText === 'auto' ? 'auto' : Number(parallelText ?? 4);

function hoistQueue(): UploadQueue {
  const client = new BoxClient({ apiBaseUrl: url, uploadBaseUrl: `${url}/api` }, new FixedTokenSource(token));
  return new UploadQueue({ client, parallel });
}

async function uploadWithHoist(): Promise<string> {
  const queue = hoistQueue();
  const job = queue.add({ path, destination: { kind: 'folder', folderId: '0' }, fileName: name });
  await queue.whenIdle();
  const view = job.view();
  if (view.state !== 'done') throw new Error(`hoist upload ended ${view.state}: ${view.error?.message}`);
  return view.sha1!;
}

/** Every file of the directory at once, as a drop of many small files. Returns how many uploaded. */
async function uploadManyWithHoist(): Promise<string> {
  const queue = hoistQueue();
  const names = await readdir(path);
  const jobs = names.map((file) =>
    queue.add({ path: join(path, file), destination: { kind: 'folder', folderId: '0' } }),
  );
  await queue.whenIdle();
  const failed = jobs.filter((job) => job.view().state !== 'done');
  if (failed.length > 0) throw new Error(`${failed.length} files failed: ${failed[0]!.view().error?.message}`);
  return `${jobs.length} files`;
}

async function uploadWithSdk(): Promise<string> {
  // Loaded only for the SDK run, so the Hoist run's memory and CPU are Hoist's alone.
  const { BoxClient: SdkClient, BoxDeveloperTokenAuth } = await import('box-node-sdk');
  const client = new SdkClient({ auth: new BoxDeveloperTokenAuth({ token }) }).withCustomBaseUrls({
    baseUrl: url,
    uploadUrl: `${url}/api`,
    oauth2Url: `${url}/api/oauth2`,
  });
  const file = await client.chunkedUploads.uploadBigFile(createReadStream(path), name, sizeBytes, '0');
  return file.sha1 ?? '';
}

const cpuBefore = process.cpuUsage();
const startedMs = performance.now();
const sha1 =
  mode === 'sdk'
    ? await uploadWithSdk()
    : mode === 'hoist-many'
      ? await uploadManyWithHoist()
      : await uploadWithHoist();
const wallMs = performance.now() - startedMs;
const cpu = process.cpuUsage(cpuBefore);
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    mode,
    sizeBytes,
    sha1,
    wallMs: Math.round(wallMs),
    uploadCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    uploadUserMs: Math.round(cpu.user / 1000),
    uploadSystemMs: Math.round(cpu.system / 1000),
    processCpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
    maxRssBytes: usage.maxRSS * 1024,
    sha1Backend: sha1BackendName(),
  })}\n`,
);
process.exit(0);
