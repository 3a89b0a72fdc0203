import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../../shared/file-modes.ts';

/** Another process owns the state directory. */
export class StateLockedError extends Error {
  readonly ownerPid: number;
  constructor(dir: string, ownerPid: number) {
    super(`another hoist (process ${ownerPid}) is using ${dir}; wait for it to finish or stop it`);
    this.ownerPid = ownerPid;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process nobody has reaped yet still answers kill(pid, 0): on Linux, look closer.
  try {
    const state = /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

/** The pid in a lock file, or undefined when the file is gone. */
function ownerOf(path: string): number | undefined {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Hard links are the atomic way; a filesystem without them (FAT) gets an exclusive create. */
function createWhole(draft: string, path: string): void {
  try {
    linkSync(draft, path);
  } catch (error) {
    if (!['EPERM', 'ENOTSUP', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    writeFileSync(path, readFileSync(draft), { flag: 'wx', mode: PRIVATE_FILE_MODE });
  }
}

/**
 * One process owns a journal at a time: a lock file created exclusively, holding the owner's pid.
 * It appears whole: the pid is written to a file of our own first, which is then hard-linked to
 * the lock's name (link fails if the name exists), so no one ever reads an empty lock. A lock
 * left by a process that died (kill -9, a crash) is taken over.
 */
export class StateLock {
  readonly path: string;
  #held = false;

  private constructor(path: string) {
    this.path = path;
  }

  static acquire(dir: string): StateLock {
    // Created private; a directory the person named that already exists keeps its mode.
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const lock = new StateLock(join(dir, 'hoist.lock'));
    const draft = `${lock.path}.${process.pid}.tmp`;
    writeFileSync(draft, String(process.pid), { mode: PRIVATE_FILE_MODE });
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          createWhole(draft, lock.path);
          lock.#held = true;
          process.once('exit', () => lock.release());
          return lock;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          const owner = ownerOf(lock.path);
          if (owner === undefined) continue; // released meanwhile: try again
          if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
            throw new StateLockedError(dir, owner);
          }
          unlinkSync(lock.path); // left behind by a process that is gone
        }
      }
      throw new Error(`could not lock ${dir}`);
    } finally {
      unlinkSync(draft);
    }
  }

  /** Removes the lock file, if it is still ours. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    try {
      if (Number(readFileSync(this.path, 'utf8').trim()) === process.pid) unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
