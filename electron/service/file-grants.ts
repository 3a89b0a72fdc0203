import { randomBytes } from 'node:crypto';
import { basename, isAbsolute } from 'node:path';
import type { DroppedFile } from '../../shared/ipc-contract.ts';

/** Most grants held at once; the oldest go first (a drop nobody added is forgotten). */
const MAX_GRANTS = 100_000;

/** A file id the renderer sent that main never issued, or that was used already. */
export class UnknownFileIdError extends Error {
  constructor() {
    super('Hoist does not know that file: add it again by dropping it or with Add files….');
  }
}

/**
 * Paths are capabilities. The renderer is untrusted, so it never names a path: main registers the
 * paths the person dropped (the preload read them from the OS's drop) and gives the renderer an
 * opaque random id for each, good for one jobs:add. Paths from native dialogs, the command line
 * and "open with" never pass through the renderer at all.
 */
export class FileGrants {
  readonly #paths = new Map<string, string>();

  /** Registers dropped paths; relative paths are left out (webUtils never yields one). */
  grant(paths: readonly string[]): DroppedFile[] {
    const files: DroppedFile[] = [];
    for (const path of paths) {
      if (!isAbsolute(path)) continue;
      const fileId = `f-${randomBytes(16).toString('hex')}`;
      this.#paths.set(fileId, path);
      files.push({ fileId, name: basename(path) });
    }
    for (const oldest of this.#paths.keys()) {
      if (this.#paths.size <= MAX_GRANTS) break;
      this.#paths.delete(oldest);
    }
    return files;
  }

  /**
   * The paths of these ids, each id used up. All or nothing: one unknown id refuses the request,
   * and nothing is read.
   */
  take(fileIds: readonly string[]): string[] {
    if (!fileIds.every((id) => this.#paths.has(id))) throw new UnknownFileIdError();
    const paths = [...new Set(fileIds)].map((id) => this.#paths.get(id)!);
    for (const id of fileIds) this.#paths.delete(id);
    return paths;
  }
}
