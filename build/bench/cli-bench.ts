/**
 * Bench scenarios of the `hoist` command as a person runs it (issue 13's 3 and 4): its start-up,
 * the time to the first byte of a file at the server, and the whole-process CPU of a 1 GB upload
 * with and without the native SHA-1 addon, each against a floor measured in the same run.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchSummary } from '../../electron/service/queue-activity.ts';
import { memoryStoresFor } from '../../electron/service/settings-store.ts';
import { UploadService } from '../../electron/service/upload-service.ts';
import {
  firstContentAtMs,
  hoistCommand,
  measureProcess,
  median,
  opensslSha1,
  startCli,
  withLocalbox,
  writeRandomFile,
  type LocalboxProcess,
  type ProcessRun,
} from './bench-tools.ts';

const MB = 1_000_000;
const RUNS = 5;

export interface BenchContext {
  filesDir: string;
  report(line: string): void;
  results: Record<string, unknown>;
}

/** `hoist upload <file> --api-url <localbox>` to its end; throws unless it exited 0. */
async function cliUpload(localbox: LocalboxProcess, file: string, stateDir: string, env?: NodeJS.ProcessEnv) {
  const target = ['--api-url', localbox.url, '--token', localbox.token, '--state-dir', stateDir, '--json'];
  const run = await measureProcess(hoistCommand('upload', file, ...target), env);
  if (run.code !== 0) throw new Error(`hoist upload ${file} exited ${run.code}: ${run.stdout.slice(-300)}`);
  return run;
}

/** Milliseconds from the command's start to the first byte of the file at localbox. */
async function cliFirstContentMs(localbox: LocalboxProcess, file: string, stateDir: string): Promise<number> {
  const startedMs = Date.now();
  const cli = startCli(
    ['upload', file, '--api-url', localbox.url, '--token', localbox.token].concat(['--state-dir', stateDir, '--json']),
  );
  const firstMs = await firstContentAtMs(localbox, startedMs);
  if ((await cli.exited) !== 0) throw new Error(`hoist upload ${file} failed: ${cli.output().slice(-300)}`);
  return firstMs - startedMs;
}

/** Milliseconds from a drop on the app (UploadService.addFiles) to the first byte at localbox. */
async function serviceFirstContentMs(localbox: LocalboxProcess, files: string[], stateDir: string): Promise<number[]> {
  const { settings, secrets } = memoryStoresFor(localbox);
  const service = await UploadService.start({ stateDir, settings, secrets });
  const times: number[] = [];
  try {
    for (const file of files) {
      const finished = new Promise<BatchSummary>((resolve) => service.once('batch-finished', resolve));
      const startedMs = Date.now();
      await service.addFiles([file]);
      times.push((await firstContentAtMs(localbox, startedMs)) - startedMs);
      const summary = await finished;
      if (summary.done !== 1) throw new Error(`the app did not upload ${file}`);
    }
  } finally {
    await service.shutdown();
  }
  return times;
}

/** Scenario 3: `hoist --version`, a 1 kB upload's CPU, and the time to the first byte at the server. */
export async function startup({ filesDir, report, results }: BenchContext): Promise<void> {
  const version: ProcessRun[] = [];
  for (let i = 0; i < RUNS; i++) version.push(await measureProcess(hoistCommand('--version')));
  const emptyModule = join(filesDir, 'empty.mjs');
  await writeFile(emptyModule, '');
  const bareNode: ProcessRun[] = [];
  for (let i = 0; i < RUNS; i++) bareNode.push(await measureProcess([process.execPath, emptyModule]));

  const small = (name: string) => join(filesDir, `startup-${name}-${Date.now()}-1kB.bin`);
  const big = (name: string) => join(filesDir, `startup-${name}-${Date.now()}-30MB.bin`);
  const measured = await withLocalbox([], 400 * MB, async (localbox) => {
    const uploads: ProcessRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const file = small(`cpu${i}`);
      await writeRandomFile(file, 1000);
      uploads.push(await cliUpload(localbox, file, join(filesDir, `startup-state-${i}`)));
    }
    const cliDirect: number[] = [];
    const cliSession: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const direct = small(`first${i}`);
      const session = big(`first${i}`);
      await writeRandomFile(direct, 1000);
      await writeRandomFile(session, 30 * MB);
      cliDirect.push(await cliFirstContentMs(localbox, direct, join(filesDir, `startup-first-${i}`)));
      cliSession.push(await cliFirstContentMs(localbox, session, join(filesDir, `startup-first-${i}`)));
    }
    const drops = { direct: [] as string[], session: [] as string[] };
    for (let i = 0; i < RUNS; i++) {
      drops.direct.push(small(`drop${i}`));
      drops.session.push(big(`drop${i}`));
      await writeRandomFile(drops.direct.at(-1)!, 1000);
      await writeRandomFile(drops.session.at(-1)!, 30 * MB);
    }
    // The first drop on a new service also asks /users/me; each list starts with a fresh service.
    const serviceDirect = await serviceFirstContentMs(localbox, drops.direct, join(filesDir, 'startup-app-1'));
    const serviceSession = await serviceFirstContentMs(localbox, drops.session, join(filesDir, 'startup-app-2'));
    return { uploads, cliDirect, cliSession, serviceDirect, serviceSession };
  });
  const versionMs = median(version.map((run) => run.wallMs));
  const bareMs = median(bareNode.map((run) => run.wallMs));
  const uploadCpuMs = median(measured.uploads.map((run) => run.cpuMs));
  const bareCpuMs = median(bareNode.map((run) => run.cpuMs));
  const cliFirst = median(measured.cliSession);
  const serviceFirst = median(measured.serviceSession);
  results['startup'] = {
    versionWallMs: version.map((run) => run.wallMs),
    bareNodeWallMs: bareNode.map((run) => run.wallMs),
    bareNodeCpuMs: bareNode.map((run) => run.cpuMs),
    upload1kBCpuMs: measured.uploads.map((run) => run.cpuMs),
    upload1kBWallMs: measured.uploads.map((run) => run.wallMs),
    cliFirstByteDirectMs: measured.cliDirect,
    cliFirstPartSessionMs: measured.cliSession,
    serviceFirstByteDirectMs: measured.serviceDirect,
    serviceFirstPartSessionMs: measured.serviceSession,
  };
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  report(
    `3. CLI start-up (median of ${RUNS}): \`hoist --version\` ${versionMs} ms wall (Node alone, an empty module: ${bareMs} ms; ` +
      `target <= 80 ms: ${met(versionMs <= 80)}); a 1 kB upload to a running localbox ${uploadCpuMs} ms of CPU for the whole process ` +
      `(Node alone: ${bareCpuMs} ms; target <= 250 ms: ${met(uploadCpuMs <= 250)}); first part of a 30 MB file at the server ` +
      `${cliFirst} ms after the command's start (1 kB, direct: ${median(measured.cliDirect)} ms; target <= 300 ms: ${met(cliFirst <= 300)}) ` +
      `and ${serviceFirst} ms after a drop on the app's UploadService (1 kB: ${median(measured.serviceDirect)} ms; ` +
      `target <= 100 ms: ${met(serviceFirst <= 100)})`,
  );
}

/** Scenario 4: whole-process CPU of `hoist upload` of 1 GB over raw loopback, with and without the addon. */
export async function cpu({ filesDir, report, results }: BenchContext): Promise<void> {
  const file = join(filesDir, 'cpu-1GB.bin');
  await writeRandomFile(file, 1000 * MB);
  opensslSha1(file); // warm the page cache for both
  const openssl = [1, 2, 3].map(() => opensslSha1(file));
  const floorMs = 2 * median(openssl.map((run) => run.cpuMs));
  const backends = [
    { name: 'addon', env: process.env, targetRatio: 1.3 },
    { name: 'no addon (HOIST_SHA1_IMPL=wasm)', env: { ...process.env, HOIST_SHA1_IMPL: 'wasm' }, targetRatio: 1.6 },
  ];
  const measured: Array<{ name: string; runs: ProcessRun[]; cpuMs: number; ratio: number; targetRatio: number }> = [];
  for (const backend of backends) {
    // One localbox per backend: it stores every byte (3 GB per backend would not fit in tmpfs).
    const runs = await withLocalbox([], 3100 * MB, async (localbox) => {
      const all: ProcessRun[] = [];
      for (let i = 0; i < 3; i++) {
        all.push(await cliUpload(localbox, file, join(filesDir, `cpu-state-${backend.name.length}-${i}`), backend.env));
      }
      return all;
    });
    for (const run of runs) {
      const done = run.stdout.split('\n').find((line) => line.includes('"event":"done"'));
      if (!done || (JSON.parse(done) as { sha1: string }).sha1 !== openssl[0]!.sha1)
        throw new Error(`hoist upload (${backend.name}) stored another SHA-1: ${done}`);
    }
    const cpuMs = median(runs.map((run) => run.cpuMs));
    measured.push({ name: backend.name, runs, cpuMs, ratio: cpuMs / floorMs, targetRatio: backend.targetRatio });
  }
  results['cpu'] = { opensslCpuMs: openssl.map((run) => run.cpuMs), floorMs, backends: measured };
  report(
    `4. Raw loopback, 1 GB, whole-process CPU of \`hoist upload\` (start-up included, median of 3), floor 2 x openssl sha1 = ${floorMs} ms: ` +
      measured
        .map(
          (backend) =>
            `${backend.name} ${backend.cpuMs} ms -> ${backend.ratio.toFixed(2)}x (target <= ${backend.targetRatio}x: ` +
            `${backend.ratio <= backend.targetRatio ? 'met' : 'NOT met'}; ${Math.round(1000 / (median(backend.runs.map((run) => run.wallMs)) / 1000))} MB/s wall)`,
        )
        .join('; '),
  );
}
