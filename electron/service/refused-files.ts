import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { JobView } from '../../shared/job-model.ts';

/**
 * Files refused when they were added (a missing file, a pipe, a folder that could not be made):
 * they stay in the list as failed rows with the reason until the person removes them, rather
 * than only flashing by in a notice. They never reach the queue or the journal, and a later
 * refusal of the same path replaces its row instead of adding another.
 */
export class RefusedFiles {
  readonly #byId = new Map<string, JobView>();
  readonly #idByPath = new Map<string, string>();

  /** The row for `path` refused with `message` (the same id as before when it was refused already). */
  refuse(path: string, message: string, destinationPath?: readonly string[]): JobView {
    const id = this.#idByPath.get(path) ?? `refused-${randomUUID()}`;
    this.#idByPath.set(path, id);
    const view: JobView = {
      id,
      path,
      fileName: basename(path) || path,
      state: 'failed',
      method: 'unknown',
      totals: {
        sizeBytes: 0,
        bytesConfirmed: 0,
        bytesSent: 0,
        partsDone: 0,
        totalParts: 0,
        speedBytesPerSec: 0,
        etaSeconds: null,
      },
      error: { kind: 'file-unreadable', message },
      refused: true,
      ...(destinationPath && destinationPath.length > 0 ? { destinationPath: [...destinationPath] } : {}),
      createdAtMs: Date.now(),
    };
    this.#byId.set(id, view);
    return view;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** A file queued after all (dropped again once it could be read): its old refusal goes. */
  idOfPath(path: string): string | undefined {
    return this.#idByPath.get(path);
  }

  remove(id: string): boolean {
    const view = this.#byId.get(id);
    if (!view) return false;
    this.#byId.delete(id);
    this.#idByPath.delete(view.path);
    return true;
  }

  views(): JobView[] {
    return [...this.#byId.values()];
  }
}
