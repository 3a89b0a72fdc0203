import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync, statfsSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOIST = fileURLToPath(new URL('../../electron/cli/hoist.js', import.meta.url));
const RUNNER_SOURCE = fileURLToPath(new URL('./upload-runner.ts', import.meta.url));
const RUNNER = fileURLToPath(new URL('../dist/bench/upload-runner.mjs', import.meta.url));
const SHA1_ADDON = fileURLToPath(new URL('../../electron/native/sha1/build/Release/hoist_sha1.node', import.meta.url));

/**
 * Bundles the runner to one JavaScript file, as the app's main process is bundled, and rebuilds
 * the CLI bundle (`hoist` runs the TypeScript sources, much slower to start, when it is stale).
 */
export async function buildRunner(): Promise<void> {
  const cli = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build-cli.ts', import.meta.url))], {
    stdio: 'inherit',
  });
  if (cli.status !== 0) throw new Error('building the CLI bundle failed');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [RUNNER_SOURCE],
    outfile: RUNNER,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['box-node-sdk'],
    logLevel: 'warning',
  });
}

export interface RunResult {
  mode: string;
  sizeBytes: number;
  sha1: string;
  wallMs: number;
  uploadCpuMs: number;
  uploadUserMs: number;
  uploadSystemMs: number;
  processCpuMs: number;
  maxRssBytes: number;
  sha1Backend: string;
}

export interface LocalboxProcess {
  url: string;
  token: string;
  stop(): Promise<void>;
}

/** A scratch directory on tmpfs when there is room (localbox stores every byte it receives). */
export async function scratchDir(prefix: string, neededBytes: number): Promise<string> {
  const shm = '/dev/shm';
  const base = existsSync(shm) && statfsSync(shm).bavail * statfsSync(shm).bsize > neededBytes * 1.2 ? shm : tmpdir();
  return mkdtemp(join(base, prefix));
}

/** `hoist localbox` in its own process, so its CPU is not counted as the client's. */
export async function startLocalboxProcess(flags: string[], dataDir: string): Promise<LocalboxProcess> {
  const child = spawn(process.execPath, [HOIST, 'localbox', '--admin-routes', '--data', dataDir, ...flags], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.on('exit', (code) => reject(new Error(`localbox exited with ${code}`)));
  });
  const ready = JSON.parse(line) as { url: string; token: string };
  return {
    ...ready,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** `hoist-many` uploads every file in the directory `file` names, all queued at once. */
export function runUpload(
  mode: 'hoist' | 'hoist-many' | 'sdk',
  localbox: LocalboxProcess,
  file: string,
  parallel: number | 'auto' = 4,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER, mode, localbox.url, localbox.token, file, String(parallel)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, HOIST_SHA1_ADDON: SHA1_ADDON },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as RunResult) : reject(new Error(`${mode} upload exited ${code}`)),
    );
  });
}

/** CPU time (user + system, ms) of `openssl sha1 <file>`, and the digest it printed. */
export function opensslSha1(file: string): { cpuMs: number; sha1: string } {
  const run = spawnSync('bash', ['-c', 'openssl sha1 -r "$1"; times', 'bench', file], { encoding: 'utf8' });
  const lines = run.stdout.trim().split('\n');
  const sha1 = lines[0]!.split(' ')[0]!;
  // `times` prints the shell's own times, then its children's: "0m0.551s 0m0.170s".
  const children = lines.at(-1)!.match(/(\d+)m([\d.]+)s/g)!;
  const cpuMs = children.reduce((sum, value) => {
    const [, minutes, seconds] = /(\d+)m([\d.]+)s/.exec(value)!;
    return sum + (Number(minutes) * 60 + Number(seconds)) * 1000;
  }, 0);
  return { cpuMs: Math.round(cpuMs), sha1 };
}

export async function writeRandomFile(path: string, sizeBytes: number): Promise<void> {
  const handle = await open(path, 'w');
  const chunk = Buffer.allocUnsafe(16 * 1024 * 1024);
  for (let written = 0; written < sizeBytes;) {
    const length = Math.min(chunk.length, sizeBytes - written);
    randomFillSync(chunk, 0, length);
    await handle.write(chunk, 0, length);
    written += length;
  }
  await handle.close();
}

export async function writeSparseFile(path: string, sizeBytes: number): Promise<void> {
  const handle = await open(path, 'w');
  await handle.truncate(sizeBytes);
  await handle.close();
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** The real CLI, as a person runs it (TypeScript through Node 22), for the resume timing. */
export function startCli(args: string[]) {
  const child = spawn(process.execPath, [HOIST, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

export async function localboxStats(
  localbox: LocalboxProcess,
): Promise<{ partAttempts: Array<{ startedAtMs: number; offset: number }>; requests: LoggedRequest[] }> {
  const response = await fetch(`${localbox.url}/_localbox/stats`, {
    headers: { authorization: `Bearer ${localbox.token}` },
  });
  return (await response.json()) as {
    partAttempts: Array<{ startedAtMs: number; offset: number }>;
    requests: LoggedRequest[];
  };
}

/** One request as localbox logged it (localbox-stats.ts RequestEvent). */
export interface LoggedRequest {
  method: string;
  path: string;
  operation: string;
  startedAtMs: number;
}

/** Requests that carry a file's bytes: a part PUT or a direct upload. */
export const carriesContent = (request: LoggedRequest): boolean =>
  request.operation === 'upload-part' || request.operation === 'direct-upload';

/** Polls localbox until a request carrying file content arrived at or after `sinceMs`; its arrival time. */
export async function firstContentAtMs(
  localbox: LocalboxProcess,
  sinceMs: number,
  timeoutMs = 60_000,
): Promise<number> {
  const deadlineMs = Date.now() + timeoutMs;
  for (;;) {
    const { requests } = await localboxStats(localbox);
    const first = requests.find((request) => carriesContent(request) && request.startedAtMs >= sinceMs);
    if (first) return first.startedAtMs;
    if (Date.now() > deadlineMs) throw new Error('no file content reached localbox');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface ProcessRun {
  code: number;
  stdout: string;
  wallMs: number;
  /** User + system CPU of the whole process (Node's start included), from the shell's `times`. */
  cpuMs: number;
}

/** Runs a command to its end and measures its whole-process CPU (bash `times`) and wall time. */
export async function measureProcess(command: string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessRun> {
  const dir = await mkdtemp(join(tmpdir(), 'hoist-bench-out-'));
  const outFile = join(dir, 'stdout');
  const startedMs = performance.now();
  const run = spawnSync('bash', ['-c', '"$@" >"$0"; code=$?; times; exit $code', outFile, ...command], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const wallMs = performance.now() - startedMs;
  const children = run.stdout
    .trim()
    .split('\n')
    .at(-1)!
    .match(/(\d+)m([\d.]+)s/g)!;
  const cpuMs = children.reduce((sum, value) => {
    const [, minutes, seconds] = /(\d+)m([\d.]+)s/.exec(value)!;
    return sum + (Number(minutes) * 60 + Number(seconds)) * 1000;
  }, 0);
  const { readFile } = await import('node:fs/promises');
  const stdout = await readFile(outFile, 'utf8');
  await rm(dir, { recursive: true, force: true });
  return { code: run.status ?? 1, stdout, wallMs: Math.round(wallMs), cpuMs: Math.round(cpuMs) };
}

/** The command line that runs `hoist` as a person does after `npm link`: Node 22 and electron/cli/hoist.js. */
export const hoistCommand = (...args: string[]): string[] => [process.execPath, HOIST, ...args];

/** A `hoist localbox` process with these flags and a scratch data dir of this size, for the duration of `work`. */
export async function withLocalbox<T>(
  flags: string[],
  neededBytes: number,
  work: (localbox: LocalboxProcess) => Promise<T>,
): Promise<T> {
  const dataDir = await scratchDir('hoist-bench-data-', neededBytes);
  const localbox = await startLocalboxProcess(flags, dataDir);
  try {
    return await work(localbox);
  } finally {
    await localbox.stop();
    await removeDir(dataDir);
  }
}

/** Fails the bench when a client stored something else than the file. */
export function checkSha1(run: RunResult, expected: string): void {
  if (run.sha1 !== expected) throw new Error(`${run.mode} stored SHA-1 ${run.sha1}, expected ${expected}`);
}
