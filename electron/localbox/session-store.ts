import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from './atomic-file.ts';
import { PRIVATE_DIR_MODE } from '../../shared/file-modes.ts';

export interface SessionRecord {
  id: string;
  /** A new file in `folderId`, or a new version of `fileId`. */
  kind: 'file' | 'version';
  folderId: string | null;
  fileId: string | null;
  /** The name to commit under (for a version: a rename, or null to keep the name). */
  fileName: string | null;
  fileSizeBytes: number;
  partSizeBytes: number;
  totalParts: number;
  createdAt: string;
  expiresAtMs: number;
  state: 'open' | 'committed' | 'aborted';
  committedFileId: string | null;
}

/** A stored part, exactly as Box returns it (`UploadPart`). */
export interface StoredPart {
  part_id: string;
  offset: number;
  size: number;
  sha1: string;
}

/** One upload session: its record, its stored parts and a running SHA-1 of the stored prefix. */
export class UploadSession {
  readonly record: SessionRecord;
  readonly dir: string;
  readonly parts = new Map<number, StoredPart>();
  /** Parts whose body is streaming in now; a second PUT for the same range waits for these. */
  readonly receiving = new Map<number, Promise<void>>();
  /** When the last part was stored (this process); commits right after may meet parts_mismatch. */
  lastPartStoredAtMs = 0;
  #wholeFileHash: Hash = createHash('sha1');
  #hashedParts = 0;
  #hashing: Promise<void> | undefined;

  constructor(record: SessionRecord, dir: string) {
    this.record = record;
    this.dir = dir;
  }

  partPath(index: number): string {
    return join(this.dir, `${index}.part`);
  }

  temporaryPartPath(index: number): string {
    return join(this.dir, `${index}.${randomBytes(4).toString('hex')}.tmp`);
  }

  expectedPartSize(index: number): number {
    const { partSizeBytes, fileSizeBytes } = this.record;
    return Math.min(partSizeBytes, fileSizeBytes - index * partSizeBytes);
  }

  isExpired(nowMs = Date.now()): boolean {
    return this.record.expiresAtMs <= nowMs;
  }

  /** Parts in offset order. */
  sortedParts(): StoredPart[] {
    return [...this.parts.entries()].sort(([a], [b]) => a - b).map(([, part]) => part);
  }

  /** Records a part whose bytes are already renamed into place. */
  async addPart(index: number, part: StoredPart): Promise<void> {
    await writeJsonAtomic(join(this.dir, `${index}.json`), part);
    this.parts.set(index, part);
    this.lastPartStoredAtMs = Date.now();
    void this.advanceHash().catch(() => undefined);
  }

  /**
   * Feeds stored parts, in order, into the whole-file SHA-1 as far as they are contiguous, so a
   * commit only has to hash the tail. One loop at a time; a part stored while the loop winds
   * down starts it again.
   */
  advanceHash(): Promise<void> {
    if (!this.#hashing) {
      // A part that cannot be read (its files removed under a stopping server) ends the loop
      // without starting it again; the next part stored or commit tries once more.
      this.#hashing = this.#hashLoop().then(
        () => {
          this.#hashing = undefined;
          if (this.#canHashMore()) void this.advanceHash().catch(() => undefined);
        },
        (error: unknown) => {
          this.#hashing = undefined;
          throw error;
        },
      );
    }
    return this.#hashing;
  }

  #canHashMore(): boolean {
    return this.record.state === 'open' && this.parts.has(this.#hashedParts);
  }

  async #hashLoop(): Promise<void> {
    while (this.#canHashMore()) {
      for await (const chunk of createReadStream(this.partPath(this.#hashedParts)))
        this.#wholeFileHash.update(chunk as Buffer);
      this.#hashedParts += 1;
    }
  }

  /** The SHA-1 of all parts, or undefined when some part is missing. */
  async wholeFileSha1(): Promise<Buffer | undefined> {
    do await this.advanceHash();
    while (this.#canHashMore());
    if (this.#hashedParts !== this.record.totalParts) return undefined;
    return this.#wholeFileHash.copy().digest();
  }

  async persist(): Promise<void> {
    await writeJsonAtomic(join(this.dir, 'session.json'), this.record);
  }
}

/** All upload sessions under `<data>/sessions`, surviving a restart of localbox. */
export class SessionStore {
  readonly #sessions = new Map<string, UploadSession>();
  readonly #dir: string;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dataDir: string): Promise<SessionStore> {
    const store = new SessionStore(join(dataDir, 'sessions'));
    await mkdir(store.#dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    for (const id of await readdir(store.#dir)) {
      const session = await loadSession(join(store.#dir, id)).catch(() => undefined);
      if (session) store.#sessions.set(session.record.id, session);
    }
    return store;
  }

  get(id: string): UploadSession | undefined {
    return this.#sessions.get(id);
  }

  all(): UploadSession[] {
    return [...this.#sessions.values()];
  }

  async create(fields: Omit<SessionRecord, 'id' | 'state' | 'committedFileId' | 'createdAt'>): Promise<UploadSession> {
    const id = randomBytes(16).toString('hex').toUpperCase();
    const record: SessionRecord = {
      ...fields,
      id,
      createdAt: new Date().toISOString(),
      state: 'open',
      committedFileId: null,
    };
    const session = new UploadSession(record, join(this.#dir, id));
    await mkdir(session.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await session.persist();
    this.#sessions.set(id, session);
    return session;
  }

  /** Moves a complete session's part files to `blobDir`; returns them as content segments. */
  async moveParts(session: UploadSession, blobDir: string, dataDir: string): Promise<string[]> {
    await rename(session.dir, blobDir);
    await mkdir(session.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const relative = blobDir.slice(dataDir.length + 1);
    return session.sortedParts().map((_, index) => join(relative, `${index}.part`));
  }

  /**
   * Deletes the parts of sessions that expired: no one can commit them any more (Box answers 410),
   * so their bytes would only fill the disk. The session's record stays, to keep answering 410.
   */
  async sweepExpired(nowMs = Date.now()): Promise<number> {
    let swept = 0;
    for (const session of this.#sessions.values()) {
      if (session.record.state !== 'open' || !session.isExpired(nowMs) || session.receiving.size > 0) continue;
      if (session.parts.size === 0) continue;
      await this.discardParts(session);
      swept += 1;
    }
    return swept;
  }

  async discardParts(session: UploadSession): Promise<void> {
    session.parts.clear();
    for (const name of await readdir(session.dir).catch(() => [] as string[])) {
      if (name !== 'session.json') await rm(join(session.dir, name), { force: true });
    }
  }
}

async function loadSession(dir: string): Promise<UploadSession | undefined> {
  const record = await readJson<SessionRecord>(join(dir, 'session.json'));
  const session = new UploadSession(record, dir);
  if (record.state !== 'open') return session;
  const names = new Set(await readdir(dir));
  for (const name of names) {
    // A part that did not arrive whole never got its record: drop its bytes.
    const partMatch = /^(\d+)\.part$/.exec(name);
    if (name.endsWith('.tmp') || (partMatch && !names.has(`${partMatch[1]}.json`))) {
      await unlink(join(dir, name)).catch(() => undefined);
      continue;
    }
    const recordMatch = /^(\d+)\.json$/.exec(name);
    if (recordMatch && names.has(`${recordMatch[1]}.part`)) {
      session.parts.set(Number(recordMatch[1]), await readJson<StoredPart>(join(dir, name)));
    }
  }
  return session;
}
