import type { BigIntStats } from 'node:fs';

/**
 * What a file looked like when its upload began (DESIGN.md section 2.1). Nanosecond times and
 * 64-bit inode numbers are kept as decimal strings so nothing is lost in JSON.
 */
export interface FileSnapshot {
  sizeBytes: number;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  dev: string;
}

/** The snapshot of a file from a bigint stat, which keeps nanosecond times and large inode numbers exact. */
export function snapshotOf(stats: BigIntStats): FileSnapshot {
  return {
    sizeBytes: Number(stats.size),
    mtimeNs: stats.mtimeNs.toString(),
    ctimeNs: stats.ctimeNs.toString(),
    ino: stats.ino.toString(),
    dev: stats.dev.toString(),
  };
}

/** How a file differs from its snapshot, which decides whether the upload may go on (compareSnapshot). */
export type SnapshotChange =
  | { kind: 'unchanged' }
  /** Only ctime moved (chmod, touch with the old mtime put back...): the content must be checked. */
  | { kind: 'ctime-only' }
  | { kind: 'changed'; description: string };

/** Compares a file now with its snapshot; `description` says in words what changed. */
export function compareSnapshot(original: FileSnapshot, now: FileSnapshot): SnapshotChange {
  if (original.ino !== now.ino || original.dev !== now.dev) {
    return { kind: 'changed', description: 'it was replaced by a different file (renamed or saved over)' };
  }
  if (original.sizeBytes !== now.sizeBytes) {
    return {
      kind: 'changed',
      description: `its size changed from ${original.sizeBytes.toLocaleString('en-US')} to ${now.sizeBytes.toLocaleString('en-US')} bytes`,
    };
  }
  if (original.mtimeNs !== now.mtimeNs)
    return { kind: 'changed', description: 'it was modified (its modification time changed)' };
  if (original.ctimeNs !== now.ctimeNs) return { kind: 'ctime-only' };
  return { kind: 'unchanged' };
}

/** The snapshot's mtime as an ISO date, for Box's content_modified_at. */
export function modifiedAtIso(snapshot: FileSnapshot): string {
  return new Date(Number(BigInt(snapshot.mtimeNs) / 1_000_000n)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
