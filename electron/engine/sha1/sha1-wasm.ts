import { SHA1_LENGTH_AT, SHA1_STATE_BYTES } from './sha1-state.ts';

/**
 * The whole-file SHA-1 where the native addon is missing: hash-wasm's SHA-1 (WebAssembly, several
 * times faster than SHA-1 in TypeScript), whose running state can be saved and loaded.
 *
 * hash-wasm saves its context (Steve Reid's `SHA1_CTX`: five uint32 words, the message length in
 * *bits* as two uint32 words, the 64-byte block buffer; little-endian in WebAssembly) behind a
 * 4-byte prefix that identifies its build. That is our canonical 92-byte layout but for the length
 * unit, so a state moves between the addon, this backend and the TypeScript one losslessly.
 */
export interface WasmSha1 {
  update(state: Uint8Array, data: Uint8Array): void;
  digest(state: Uint8Array): Buffer;
}

interface HashWasmSha1 {
  init(): unknown;
  update(data: Uint8Array): unknown;
  digest(outputType: 'binary'): Uint8Array;
  save(): Uint8Array;
  load(state: Uint8Array): unknown;
}

const PREFIX_BYTES = 4;

/**
 * Loads hash-wasm (asynchronously, so callers hash in TypeScript until it is ready) and checks its
 * saved state has the size this layout assumes; throws when a new hash-wasm release changed it.
 */
export async function createWasmSha1(): Promise<WasmSha1> {
  const { createSHA1 } = await import('hash-wasm');
  const hasher = (await createSHA1()) as unknown as HashWasmSha1;
  hasher.init();
  const saved = hasher.save();
  if (saved.length !== PREFIX_BYTES + SHA1_STATE_BYTES)
    throw new Error(`hash-wasm's SHA-1 state is ${saved.length} bytes, not ${PREFIX_BYTES + SHA1_STATE_BYTES}`);
  const wasmState = saved.slice();

  const load = (state: Uint8Array): void => {
    wasmState.set(state, PREFIX_BYTES);
    const view = new DataView(wasmState.buffer, wasmState.byteOffset + PREFIX_BYTES + SHA1_LENGTH_AT, 8);
    view.setBigUint64(0, view.getBigUint64(0, true) * 8n, true);
    hasher.load(wasmState);
  };

  return {
    update(state, data) {
      load(state);
      hasher.update(data);
      const after = hasher.save();
      state.set(after.subarray(PREFIX_BYTES));
      const view = new DataView(state.buffer, state.byteOffset + SHA1_LENGTH_AT, 8);
      view.setBigUint64(0, view.getBigUint64(0, true) / 8n, true);
    },
    digest(state) {
      load(state);
      return Buffer.from(hasher.digest('binary'));
    },
  };
}
