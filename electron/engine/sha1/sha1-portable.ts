import { SHA1_LENGTH_AT, SHA1_PENDING_AT } from './sha1-state.ts';

/**
 * SHA-1 in TypeScript over the canonical state layout. Used only where the native addon
 * could not be built (no compiler at install time); it is several times slower.
 */
const schedule = new Uint32Array(80);

function compress(h: Uint32Array, data: Uint8Array, offset: number, blocks: number): void {
  const w = schedule;
  for (let block = 0; block < blocks; block++, offset += 64) {
    for (let i = 0; i < 16; i++) {
      const at = offset + 4 * i;
      w[i] = ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;
    }
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
      w[i] = ((x << 1) | (x >>> 31)) >>> 0;
    }
    let a = h[0]!,
      b = h[1]!,
      c = h[2]!,
      d = h[3]!,
      e = h[4]!;
    for (let i = 0; i < 80; i++) {
      let f: number, k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]!) >>> 0;
      e = d;
      d = c;
      c = ((b << 30) | (b >>> 2)) >>> 0;
      b = a;
      a = t;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
  }
}

function readWords(state: Uint8Array): { view: DataView; h: Uint32Array } {
  const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
  const h = new Uint32Array(5);
  for (let i = 0; i < 5; i++) h[i] = view.getUint32(4 * i, true);
  return { view, h };
}

/** Feeds `data` into a canonical state in place, as the native addon's update does. */
export function portableUpdate(state: Uint8Array, data: Uint8Array): void {
  const { view, h } = readWords(state);
  let total = view.getBigUint64(SHA1_LENGTH_AT, true);
  const pending = state.subarray(SHA1_PENDING_AT, SHA1_PENDING_AT + 64);
  let offset = 0;
  let length = data.length;
  const pendingBytes = Number(total % 64n);
  if (pendingBytes > 0) {
    const take = Math.min(64 - pendingBytes, length);
    pending.set(data.subarray(0, take), pendingBytes);
    offset += take;
    length -= take;
    total += BigInt(take);
    if (pendingBytes + take === 64) compress(h, pending, 0, 1);
  }
  const blocks = Math.floor(length / 64);
  compress(h, data, offset, blocks);
  offset += blocks * 64;
  length -= blocks * 64;
  total += BigInt(blocks * 64);
  if (length > 0) {
    pending.set(data.subarray(offset, offset + length), 0);
    total += BigInt(length);
  }
  for (let i = 0; i < 5; i++) view.setUint32(4 * i, h[i]!, true);
  view.setBigUint64(SHA1_LENGTH_AT, total, true);
}

/** The 20-byte digest of the message so far; pads a copy, so the state can still take more bytes. */
export function portableDigest(state: Uint8Array): Buffer {
  const { view, h } = readWords(state);
  const total = view.getBigUint64(SHA1_LENGTH_AT, true);
  const pendingBytes = Number(total % 64n);
  const padded = pendingBytes < 56 ? 64 : 128;
  const block = new Uint8Array(128);
  block.set(state.subarray(SHA1_PENDING_AT, SHA1_PENDING_AT + pendingBytes));
  block[pendingBytes] = 0x80;
  new DataView(block.buffer).setBigUint64(padded - 8, total * 8n, false);
  compress(h, block, 0, padded / 64);
  const out = Buffer.alloc(20);
  for (let i = 0; i < 5; i++) out.writeUInt32BE(h[i]!, 4 * i);
  return out;
}
