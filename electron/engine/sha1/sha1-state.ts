/**
 * The canonical SHA-1 running state shared by the native addon and the portable fallback.
 * Layout (92 bytes): h0..h4 as uint32 LE, message length in bytes as uint64 LE, then the
 * pending partial block. See electron/native/sha1/hoist_sha1.c.
 */
export const SHA1_STATE_BYTES = 92;
/** Where the message length (uint64 LE, in bytes) starts in the state: after the five words. */
export const SHA1_LENGTH_AT = 20;
/** Where the pending partial block (up to 64 bytes) starts in the state. */
export const SHA1_PENDING_AT = 28;

const INITIAL_H = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0] as const;

/** A SHA-1 state in a form that survives JSON: what the journal persists. */
export interface SavedSha1State {
  /** Bytes of the message hashed so far. */
  bytesHashed: number;
  /** h0..h4 as 40 hex characters. */
  h: string;
  /** The pending partial block (bytesHashed % 64 bytes), base64. */
  pendingBase64: string;
}

/** The state of an empty message: SHA-1's initial words, length 0, nothing pending. */
export function createInitialState(): Uint8Array {
  const state = new Uint8Array(SHA1_STATE_BYTES);
  const view = new DataView(state.buffer);
  INITIAL_H.forEach((word, index) => view.setUint32(4 * index, word, true));
  return state;
}

/** How many bytes of the message a state has taken in: where a resumed hash continues from. */
export function bytesHashedOf(state: Uint8Array): number {
  const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
  return Number(view.getBigUint64(SHA1_LENGTH_AT, true));
}

/** The state in its JSON form, for the journal (loadState is the inverse). */
export function saveState(state: Uint8Array): SavedSha1State {
  const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
  const bytesHashed = bytesHashedOf(state);
  let h = '';
  for (let i = 0; i < 5; i++)
    h += view
      .getUint32(4 * i, true)
      .toString(16)
      .padStart(8, '0');
  const pending = state.subarray(SHA1_PENDING_AT, SHA1_PENDING_AT + (bytesHashed % 64));
  return { bytesHashed, h, pendingBase64: Buffer.from(pending).toString('base64') };
}

/** Rebuilds a state; throws a RangeError when the saved value is inconsistent. */
export function loadState(saved: SavedSha1State): Uint8Array {
  if (!Number.isSafeInteger(saved.bytesHashed) || saved.bytesHashed < 0) {
    throw new RangeError(`SHA-1 state has an invalid length: ${saved.bytesHashed}`);
  }
  if (!/^[0-9a-f]{40}$/.test(saved.h)) throw new RangeError('SHA-1 state words are not 40 hex characters');
  const pending = Buffer.from(saved.pendingBase64, 'base64');
  if (pending.length !== saved.bytesHashed % 64) {
    throw new RangeError(`SHA-1 state has ${pending.length} pending bytes, expected ${saved.bytesHashed % 64}`);
  }
  const state = new Uint8Array(SHA1_STATE_BYTES);
  const view = new DataView(state.buffer);
  for (let i = 0; i < 5; i++) view.setUint32(4 * i, Number.parseInt(saved.h.slice(8 * i, 8 * i + 8), 16), true);
  view.setBigUint64(SHA1_LENGTH_AT, BigInt(saved.bytesHashed), true);
  state.set(pending, SHA1_PENDING_AT);
  return state;
}
