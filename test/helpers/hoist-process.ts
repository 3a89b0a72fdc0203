import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

export const HOIST_BIN = fileURLToPath(new URL('../../electron/cli/hoist.js', import.meta.url));

export interface HoistRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended and all it printed is read. */
  exited: Promise<number | string>;
}

/**
 * Commands run without --state-dir use the platform's config directory: one of its own per test
 * file, so test files running side by side never share a state lock, and never the real one.
 */
const configHome = mkdtempSync(join(tmpdir(), 'hoist-config-'));
process.on('exit', () => rmSync(configHome, { recursive: true, force: true }));

/** Starts `hoist <args>` as a real child process; killed when the test ends. */
export function startHoist(t: TestContext | undefined, args: string[], env: Record<string, string> = {}): HoistRun {
  const child = spawn(process.execPath, [HOIST_BIN, ...args], {
    env: { ...process.env, XDG_CONFIG_HOME: configHome, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // 'close', not 'exit': at 'exit' the last of stdout and stderr may still be in the pipes.
  const exited = once(child, 'close').then(([code, signal]) => (code ?? signal) as number | string);
  t?.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs `hoist <args>` to completion. */
export async function runHoist(args: string[], env: Record<string, string> = {}) {
  const run = startHoist(undefined, args, env);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Waits for the first full line on stdout (localbox's ready line). */
export async function firstLine(run: HoistRun, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!run.stdout().includes('\n')) {
    if (run.child.exitCode !== null) throw new Error(`hoist exited early: ${run.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no line from hoist within ${timeoutMs} ms: ${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return run.stdout().split('\n')[0]!;
}

export type HoistEvent = Record<string, unknown> & { event: string };

/** The JSON events a `--json` run has printed so far. */
export function eventsOf(run: HoistRun): HoistEvent[] {
  return run
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as HoistEvent);
}

/** Resolves with the first event matching `predicate`; rejects if the process ends first. */
export async function waitForEvent(
  run: HoistRun,
  predicate: (event: HoistEvent) => boolean,
  timeoutMs = 60_000,
): Promise<HoistEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = eventsOf(run).find(predicate);
    if (match) return match;
    if (run.child.exitCode !== null || run.child.signalCode !== null) {
      const code = await run.exited; // then everything it printed has been read
      const last = eventsOf(run).find(predicate);
      if (last) return last;
      throw new Error(`hoist ended (${code}) before the event: ${run.stderr()}`);
    }
    if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** kill -9, and wait until the process is gone (and reaped). */
export async function killHard(run: HoistRun): Promise<void> {
  run.child.kill('SIGKILL');
  await run.exited;
}

export const partsDone = (event: HoistEvent): number => (event.event === 'progress' ? Number(event['partsDone']) : -1);

/** The JSON lines a `--json` command printed, parsed. */
export const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
