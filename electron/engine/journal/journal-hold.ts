import type { JournalWriteProblem } from './job-journal.ts';
import type { UploadQueue } from '../upload-queue.ts';

/**
 * While the journal cannot be written (a full disk), the uploads it would record are paused: a
 * crash then would lose what they sent. This pauses the jobs that were going, once, and resumes
 * exactly those when writing works again (jobs the person paused stay paused).
 */
export class JournalHold {
  #queue: UploadQueue | undefined;
  #held: string[] | undefined;
  #waiters: Array<() => void> = [];
  readonly #tell: (message: string) => void;

  constructor(tell: (message: string) => void) {
    this.#tell = tell;
  }

  attach(queue: UploadQueue): void {
    this.#queue = queue;
  }

  get holding(): boolean {
    return this.#held !== undefined;
  }

  /** For JournalOptions.onWriteFailed. */
  readonly failed = (problem: JournalWriteProblem): void => {
    this.#tell(`${problem.message}. Uploads are paused until it can.`);
    const going = (this.#queue?.jobs() ?? []).filter(
      (job) => !['paused', 'done', 'failed', 'canceled'].includes(job.state),
    );
    this.#held = going.map((job) => job.id);
    for (const job of going) job.pause();
  };

  /** For JournalOptions.onWriteRecovered. */
  readonly recovered = (): void => {
    this.#tell('Hoist can save its progress again; the uploads continue.');
    for (const id of this.#held ?? []) this.#queue?.resume(id);
    this.#held = undefined;
    for (const wake of this.#waiters.splice(0)) wake();
  };

  /** Resolves when the journal is writable (at once when it is). */
  writable(): Promise<void> {
    return this.#held === undefined ? Promise.resolve() : new Promise((wake) => this.#waiters.push(wake));
  }
}
