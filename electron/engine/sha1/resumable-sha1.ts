import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { portableDigest, portableUpdate } from './sha1-portable.ts';
import { bytesHashedOf, createInitialState, loadState, saveState, type SavedSha1State } from './sha1-state.ts';

interface Sha1Backend {
  readonly name: string;
  update(state: Uint8Array, data: Uint8Array): void;
  /** Feeds the same bytes to two states at the same offset within a 64-byte block. */
  update2(stateA: Uint8Array, stateB: Uint8Array, data: Uint8Array): void;
  digest(state: Uint8Array): Buffer;
}

const portableBackend: Sha1Backend = {
  name: 'portable-ts',
  update: portableUpdate,
  update2: (stateA, stateB, data) => {
    portableUpdate(stateA, data);
    portableUpdate(stateB, data);
  },
  digest: portableDigest,
};

/** Where the addon may be: HOIST_SHA1_ADDON, the path main passes when packaged, the dev build. */
const addonCandidates: string[] = [
  // From the sources: electron/engine/sha1/ -> electron/native/.
  fileURLToPath(new URL('../../native/sha1/build/Release/hoist_sha1.node', import.meta.url)),
  // From the CLI bundle: build/cli/ -> electron/native/.
  fileURLToPath(new URL('../../electron/native/sha1/build/Release/hoist_sha1.node', import.meta.url)),
];

let backend: Sha1Backend | undefined;

/** Lets the packaged app point at the addon it ships in resources/ (call before first use). */
export function addSha1AddonPath(path: string): void {
  addonCandidates.unshift(path);
  backend = undefined;
}

function loadBackend(): Sha1Backend {
  if (process.env['HOIST_SHA1_IMPL'] === 'portable') return portableBackend;
  const require = createRequire(import.meta.url);
  const paths = process.env['HOIST_SHA1_ADDON']
    ? [process.env['HOIST_SHA1_ADDON'], ...addonCandidates]
    : addonCandidates;
  for (const path of paths) {
    try {
      const addon = require(path) as Partial<Sha1Backend> &
        Pick<Sha1Backend, 'update' | 'digest'> & { implementation: string };
      const update = addon.update;
      // An addon built before update2 existed still works, one pass per hash.
      const update2: Sha1Backend['update2'] =
        addon.update2 ??
        ((stateA, stateB, data) => {
          update(stateA, data);
          update(stateB, data);
        });
      return { name: `native-${addon.implementation}`, update, update2, digest: addon.digest };
    } catch {
      // Not built here (no compiler at install time) or not shipped: try the next place.
    }
  }
  return portableBackend;
}

/** The name of the SHA-1 implementation in use, for logs and benchmark reports. */
export function sha1BackendName(): string {
  backend ??= loadBackend();
  return backend.name;
}

/**
 * A SHA-1 whose running state can be saved and restored, so a restarted upload continues the
 * whole-file digest instead of re-reading what it already hashed (DESIGN.md section 3).
 */
export class ResumableSha1 {
  readonly #state: Uint8Array;
  readonly #backend: Sha1Backend;

  private constructor(state: Uint8Array) {
    backend ??= loadBackend();
    this.#backend = backend;
    this.#state = state;
  }

  static create(): ResumableSha1 {
    return new ResumableSha1(createInitialState());
  }

  static restore(saved: SavedSha1State): ResumableSha1 {
    return new ResumableSha1(loadState(saved));
  }

  get bytesHashed(): number {
    return bytesHashedOf(this.#state);
  }

  update(data: Uint8Array): void {
    this.#backend.update(this.#state, data);
  }

  /**
   * Feeds the same bytes to two hashes (a part's digest and the whole-file digest). When both are
   * at the same offset within a 64-byte block, the addon runs them in one interleaved pass that
   * shares the message schedule: both complete SHA-1s for about the CPU time of one.
   */
  static updateBoth(first: ResumableSha1, second: ResumableSha1, data: Uint8Array): void {
    if (first.bytesHashed % 64 === second.bytesHashed % 64) first.#backend.update2(first.#state, second.#state, data);
    else {
      first.update(data);
      second.update(data);
    }
  }

  /** The digest of everything hashed so far; the state is left as it was. */
  digest(): Buffer {
    return this.#backend.digest(this.#state);
  }

  save(): SavedSha1State {
    return saveState(this.#state);
  }

  clone(): ResumableSha1 {
    return new ResumableSha1(this.#state.slice());
  }

  /** Takes over another hash's state (after it was fed a complete part). */
  adopt(other: ResumableSha1): void {
    this.#state.set(other.#state);
  }
}
