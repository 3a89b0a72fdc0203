import type { PartProgress, PartState } from './job-model.ts';
import { partSizeAt } from './part-size.ts';

/**
 * Every part of a job, compactly: one character per part state, plus details only for parts
 * whose numbers are not implied by their state. 10,000 parts are ~10 kB instead of ~700 kB of
 * objects, so opening a big job's part map does not stall the window.
 */
export interface EncodedParts {
  jobId: string;
  /** One character per part: p pending, r reading, u uploading, t retrying, d done, f failed. */
  states: string;
  /** [index, bytesSent, attempts, lastError] for parts with bytes in flight, retries or an error. */
  details: Array<[number, number, number, string | null]>;
  /** Sizes, so done parts get their confirmed bytes back. */
  partSizeBytes: number;
  fileSizeBytes: number;
}

const CODES: Record<PartState, string> = {
  pending: 'p',
  reading: 'r',
  uploading: 'u',
  retrying: 't',
  done: 'd',
  failed: 'f',
};
const STATES = Object.fromEntries(Object.entries(CODES).map(([state, code]) => [code, state])) as Record<
  string,
  PartState
>;

export function encodeParts(
  jobId: string,
  parts: readonly PartProgress[],
  partSizeBytes: number,
  fileSizeBytes: number,
): EncodedParts {
  let states = '';
  const details: EncodedParts['details'] = [];
  parts.forEach((part, index) => {
    states += CODES[part.state];
    const plain = part.attempts <= 1 && !part.lastError && (part.state === 'done' || part.bytesSent === 0);
    if (!plain) details.push([index, part.bytesSent, part.attempts, part.lastError ?? null]);
  });
  return { jobId, states, details, partSizeBytes, fileSizeBytes };
}

/**
 * The parts again. Parts whose numbers their state implies share one frozen object per state and
 * size (10,000 parts are a handful of objects, not 10,000 new ones, when a large map opens); the
 * renderer's store replaces a part's object when it changes, never changes it in place.
 */
export function decodeParts(encoded: EncodedParts): PartProgress[] {
  const { states, partSizeBytes, fileSizeBytes } = encoded;
  const count = states.length;
  const sizeOf = (index: number): number => partSizeAt(index, count, partSizeBytes, fileSizeBytes);
  const plain = (state: PartState, sizeBytes: number): Readonly<PartProgress> =>
    Object.freeze(
      state === 'done'
        ? { state, bytesSent: sizeBytes, bytesConfirmed: sizeBytes, attempts: 1 }
        : { state, bytesSent: 0, bytesConfirmed: 0, attempts: 0 },
    );
  const shared = new Map<string, PartProgress>();
  const parts: PartProgress[] = [];
  for (let index = 0; index < count; index++) {
    const state = STATES[states[index]!] ?? 'pending';
    // Only the last part differs in size.
    const key = state === 'done' && index === count - 1 ? 'last done' : state;
    let part = shared.get(key);
    if (!part) shared.set(key, (part = plain(state, sizeOf(index))));
    parts.push(part);
  }
  for (const [index, bytesSent, attempts, lastError] of encoded.details) {
    const part = parts[index];
    if (!part) continue;
    parts[index] = { ...part, bytesSent, attempts, ...(lastError !== null ? { lastError } : {}) };
  }
  return parts;
}
