import { createHash, type Hash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { portableDigest, portableUpdate } from './sha1-portable.ts';
import { bytesHashedOf, createInitialState, loadState, saveState, type SavedSha1State } from './sha1-state.ts';
import { createWasmSha1 } from './sha1-wasm.ts';

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

let native: Sha1Backend | null | undefined;
let wasm: Sha1Backend | undefined;
let preparing: Promise<void> | undefined;
/** Where the addon is missing or slower: parts hash with Node's crypto (OpenSSL), whole files in WebAssembly. */
let partsWithCrypto = false;

/** Lets the packaged app point at the addon it ships in resources/ (call before first use). */
export function addSha1AddonPath(path: string): void {
  addonCandidates.unshift(path);
  native = undefined;
}

function loadNative(): Sha1Backend | null {
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
  return null;
}

type Sha1Choice = 'native' | 'wasm' | 'portable' | undefined;
const chosenImpl = (): Sha1Choice => process.env['HOIST_SHA1_IMPL'] as Sha1Choice;

/**
 * The backend for the next update. Every backend reads and writes the same canonical state, so a
 * hash may start on one and continue on another (the TypeScript SHA-1 serves until WebAssembly
 * is ready). HOIST_SHA1_IMPL=native|wasm|portable forces one, for benchmarks and tests.
 */
function currentBackend(): Sha1Backend {
  const impl = chosenImpl();
  if (impl === 'portable') return portableBackend;
  if (impl !== 'wasm') {
    if (native === undefined) native = loadNative();
    if (native && !partsWithCrypto) return native;
  }
  return wasm ?? portableBackend;
}

/** CPU time of hashing `data` as a part and into a whole-file state with each strategy, in ms. */
function measureMs(run: () => void): number {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

/**
 * Readies the fastest SHA-1 available (call before hashing much; cheap once done). With the
 * addon built for SHA extensions (SHA-NI), that is the addon. Without the addon, or with the
 * addon's plain C code (a CPU without SHA-NI, such as arm64), parts go through OpenSSL (which uses
 * the CPU's own SHA instructions where there are any) and the whole file through WebAssembly,
 * unless a one-off measurement finds the addon's fused pass faster.
 */
export function prepareSha1(): Promise<void> {
  preparing ??= (async () => {
    const impl = chosenImpl();
    if (impl === 'portable' || impl === 'native') return;
    if (native === undefined) native = loadNative();
    if (impl !== 'wasm' && native?.name === 'native-sha-ni') return;
    try {
      const wasmSha1 = await createWasmSha1();
      const backend: Sha1Backend = {
        name: 'wasm',
        update: wasmSha1.update,
        update2: (stateA, stateB, data) => {
          wasmSha1.update(stateA, data);
          wasmSha1.update(stateB, data);
        },
        digest: wasmSha1.digest,
      };
      if (impl !== 'wasm' && native) {
        const sample = Buffer.alloc(4 * 1024 * 1024, 0x5a);
        const fusedMs = measureMs(() => native!.update2(createInitialState(), createInitialState(), sample));
        const splitMs = measureMs(() => {
          createHash('sha1').update(sample).digest();
          backend.update(createInitialState(), sample);
        });
        if (fusedMs <= splitMs) return;
      }
      wasm = backend;
      partsWithCrypto = true;
    } catch {
      // No WebAssembly here: the addon or the TypeScript SHA-1 goes on serving.
    }
  })();
  return preparing;
}

/** The name of the SHA-1 implementation in use, for logs and benchmark reports. */
export function sha1BackendName(): string {
  const name = currentBackend().name;
  return partsWithCrypto && name === 'wasm' ? 'wasm+openssl' : name;
}

/** A part's SHA-1 (the digest header): never saved, so it may use Node's crypto. */
export interface PartSha1 {
  update(data: Uint8Array): void;
  digest(): Buffer;
}

class CryptoPartSha1 implements PartSha1 {
  readonly #hash: Hash = createHash('sha1');
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  digest(): Buffer {
    return this.#hash.copy().digest();
  }
}

/**
 * A SHA-1 whose running state can be saved and restored, so a restarted upload continues the
 * whole-file digest instead of re-reading what it already hashed (DESIGN.md section 3).
 */
export class ResumableSha1 implements PartSha1 {
  readonly #state: Uint8Array;

  private constructor(state: Uint8Array) {
    this.#state = state;
  }

  static create(): ResumableSha1 {
    return new ResumableSha1(createInitialState());
  }

  /** A hash for one part: fused with the whole file's on the addon, OpenSSL where that is faster. */
  static forPart(): PartSha1 {
    return partsWithCrypto && chosenImpl() !== 'portable' ? new CryptoPartSha1() : ResumableSha1.create();
  }

  static restore(saved: SavedSha1State): ResumableSha1 {
    return new ResumableSha1(loadState(saved));
  }

  get bytesHashed(): number {
    return bytesHashedOf(this.#state);
  }

  update(data: Uint8Array): void {
    currentBackend().update(this.#state, data);
  }

  /**
   * Feeds the same bytes to two hashes (a part's digest and the whole-file digest). When both are
   * at the same offset within a 64-byte block, the addon runs them in one interleaved pass that
   * shares the message schedule: both complete SHA-1s for about the CPU time of one.
   */
  static updateBoth(first: PartSha1, second: ResumableSha1, data: Uint8Array): void {
    if (first instanceof ResumableSha1 && first.bytesHashed % 64 === second.bytesHashed % 64)
      currentBackend().update2(first.#state, second.#state, data);
    else {
      first.update(data);
      second.update(data);
    }
  }

  /** The digest of everything hashed so far; the state is left as it was. */
  digest(): Buffer {
    return currentBackend().digest(this.#state);
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
