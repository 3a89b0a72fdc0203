import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

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

/**
 * One process owns a journal at a time: a lock file created exclusively, holding the owner's pid.
 * A lock left by a process that died (kill -9, a crash) is taken over.
 */
export class StateLock {
  readonly path: string;
  #held = false;

  private constructor(path: string) {
    this.path = path;
  }

  static acquire(dir: string): StateLock {
    mkdirSync(dir, { recursive: true });
    const lock = new StateLock(join(dir, 'hoist.lock'));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(lock.path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        lock.#held = true;
        process.once('exit', () => lock.release());
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(lock.path, 'utf8').trim());
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
          throw new StateLockedError(dir, owner);
        }
        unlinkSync(lock.path); // left behind by a process that is gone
      }
    }
    throw new Error(`could not lock ${dir}`);
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
