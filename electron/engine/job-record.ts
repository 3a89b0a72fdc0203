import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { JobError, JobState, NameConflictPolicy } from '../../shared/job-model.ts';
import type { StoredPart, UploadSession } from '../box/box-types.ts';
import type { FileSnapshot } from './file-snapshot.ts';
import { ResumableSha1 } from './sha1/resumable-sha1.ts';

/** Where an upload goes: a new file in a folder, or a new version of a file. */
export type Destination = { kind: 'folder'; folderId: string } | { kind: 'new-version'; fileId: string };

/**
 * Told by a JobRecord as its durable facts change: the journal is the one listener (issue #4).
 * Nothing else calls these; a record tells them itself from the method that made the change.
 */
export interface JobHooks {
  sessionChanged?(record: JobRecord): void;
  partConfirmed?(record: JobRecord, index: number, part: StoredPart): void;
  hashAdvanced?(record: JobRecord): void;
  snapshotChanged?(record: JobRecord): void;
  stateChanged?(record: JobRecord, state: JobState, error?: JobError): void;
  /** The job is over for good (done, canceled, removed, or its file changed). */
  finished?(record: JobRecord, state: JobState): void;
}

/** What a record is made from: a new upload, or one the journal read back. */
export interface JobRecordFields {
  id: string;
  path: string;
  fileName: string;
  destination: Destination;
  /** What to do when the name is taken in the destination folder (undefined: ask). */
  onNameConflict?: NameConflictPolicy | undefined;
  createdAtMs: number;
  /** The destination folder's path on Box, for display (files of a dropped folder). */
  folderPath?: string | undefined;
  /** The destination folder as names from the root ("All Files", "Projects"), for display. */
  destinationPath?: string[] | undefined;
  /** The file's size when it was added (a stat), shown until the upload takes its snapshot. */
  sizeHintBytes?: number | undefined;
  snapshot?: FileSnapshot | undefined;
  session?: UploadSession | undefined;
  confirmed?: Map<number, StoredPart>;
  wholeFile?: ResumableSha1;
  /** Read back from the journal (an earlier process began this upload). */
  restored?: boolean;
}

/** What a new upload asks for. */
export interface UploadRequest {
  path: string;
  destination: Destination;
  /** The name on Box; default the file's own name. */
  fileName?: string;
  /** What to do when the name is taken in the folder; default: ask. */
  onNameConflict?: NameConflictPolicy;
  /** The destination folder's path on Box, for display (files of a dropped folder). */
  folderPath?: string;
  /** The destination folder as names from the root ("All Files", "Projects"), for display. */
  destinationPath?: string[];
  /** The file's size when it was added (a stat), shown until the upload takes its snapshot. */
  sizeHintBytes?: number;
}

/** A record whose file was snapshotted: every running job's record (a run takes the snapshot first). */
export type RunningRecord = JobRecord & { readonly snapshot: FileSnapshot };

/**
 * Everything known about one upload, and its only owner: the fields are read-only from outside,
 * and the methods below are the only way to change them. Each method that changes what the
 * journal keeps tells the journal (JobHooks) itself, so no caller can forget to.
 *
 * ```
 *  new ──takeSnapshot──> snapshotted ──startSession──> in a session ──confirmPart (×parts)──> commit
 *   ^                        ^   ^                        │   │  rename / replaceExisting (name taken)
 *   │                        │   └───── dropSession ──────┘   │  reconcileParts (resume: the server's list)
 *   └──── startOver ─────────┴──────── forgetSession ─────────┘  (the file changed; a new session)
 * ```
 * The whole-file SHA-1 is fed in offset order by the part reader (its state is an object the
 * reader advances); the reader reports each part through partHashed, which tells the journal.
 */
export class JobRecord {
  readonly id: string;
  readonly path: string;
  readonly createdAtMs: number;
  readonly folderPath: string | undefined;
  /** The destination folder as names from the root, for display (absent in older journals). */
  readonly destinationPath: string[] | undefined;
  /** The file's size when it was added, shown until the snapshot is taken (a queued file is not "0 B"). */
  readonly sizeHintBytes: number | undefined;
  /** Read back from the journal (an earlier process began this upload). */
  readonly restored: boolean;
  /**
   * Read back with a snapshot: the earlier process had begun to upload the file, and a direct
   * upload of it may have reached Box (direct-upload.ts looks before sending it again).
   */
  readonly restoredMidUpload: boolean;
  #fileName: string;
  #destination: Destination;
  #onNameConflict: NameConflictPolicy | undefined;
  #snapshot: FileSnapshot | undefined;
  #session: UploadSession | undefined;
  #confirmed: Map<number, StoredPart>;
  #wholeFile: ResumableSha1;
  #partDigests = new Map<number, string>();
  #identicalOnBox = false;
  #resumedFrom: { partsAlreadyUploaded: number; totalParts: number } | undefined;
  #journal: JobHooks = {};

  constructor(fields: JobRecordFields) {
    this.id = fields.id;
    this.path = fields.path;
    this.createdAtMs = fields.createdAtMs;
    this.folderPath = fields.folderPath || undefined;
    this.destinationPath = fields.destinationPath;
    this.sizeHintBytes = fields.sizeHintBytes;
    this.restored = fields.restored === true;
    this.restoredMidUpload = this.restored && fields.snapshot !== undefined;
    this.#fileName = fields.fileName;
    this.#destination = fields.destination;
    this.#onNameConflict = fields.onNameConflict === 'ask' ? undefined : fields.onNameConflict;
    this.#snapshot = fields.snapshot;
    this.#session = fields.session;
    this.#confirmed = fields.confirmed ?? new Map();
    this.#wholeFile = fields.wholeFile ?? ResumableSha1.create();
  }

  /** A new upload's record: a fresh id, nothing sent yet. */
  static create(request: UploadRequest, nowMs = Date.now()): JobRecord {
    return new JobRecord({
      id: randomUUID(),
      path: request.path,
      fileName: request.fileName ?? basename(request.path),
      destination: request.destination,
      onNameConflict: request.onNameConflict,
      folderPath: request.folderPath,
      destinationPath: request.destinationPath,
      sizeHintBytes: request.sizeHintBytes,
      createdAtMs: nowMs,
    });
  }

  get fileName(): string {
    return this.#fileName;
  }
  get destination(): Destination {
    return this.#destination;
  }
  get onNameConflict(): NameConflictPolicy | undefined {
    return this.#onNameConflict;
  }
  /** Taken when the upload began; compared on every read, before commit and on resume. */
  get snapshot(): FileSnapshot | undefined {
    return this.#snapshot;
  }
  get session(): UploadSession | undefined {
    return this.#session;
  }
  /** Parts the server confirmed, by index. */
  get confirmed(): ReadonlyMap<number, StoredPart> {
    return this.#confirmed;
  }
  /** The whole-file SHA-1 over the parts read so far, in order (advanced by the part reader). */
  get wholeFile(): ResumableSha1 {
    return this.#wholeFile;
  }
  /** SHA-1 of every part hashed in this process, for content checks. */
  get partDigests(): ReadonlyMap<number, string> {
    return this.#partDigests;
  }
  /** Set when the folder already held this exact file under the name, so nothing was sent. */
  get identicalOnBox(): boolean {
    return this.#identicalOnBox;
  }
  /** Set when this run continued an upload an earlier run began. */
  get resumedFrom(): { partsAlreadyUploaded: number; totalParts: number } | undefined {
    return this.#resumedFrom;
  }

  /** Who is told of durable changes (the queue passes its journal when it takes the job). */
  reportTo(journal: JobHooks): void {
    this.#journal = journal;
  }

  hasSnapshot(): this is RunningRecord {
    return this.#snapshot !== undefined;
  }

  /** The file as it is now: at the start of the upload, or after a ctime-only change checked out. */
  takeSnapshot(snapshot: FileSnapshot): RunningRecord {
    this.#snapshot = snapshot;
    this.#journal.snapshotChanged?.(this);
    return this as RunningRecord;
  }

  /** A new upload session: no part of it is confirmed yet. */
  startSession(session: UploadSession): void {
    this.#session = session;
    this.#confirmed = new Map();
    this.#journal.sessionChanged?.(this);
  }

  /**
   * The parts the server lists for the session (the truth on resume, including parts whose
   * answer was lost). Not journaled here: the part log only ever gains parts the server holds.
   */
  reconcileParts(parts: Iterable<[number, StoredPart]>): void {
    this.#confirmed = new Map(parts);
  }

  confirmPart(index: number, part: StoredPart): void {
    this.#confirmed.set(index, part);
    this.#journal.partConfirmed?.(this, index, part);
  }

  /** Parts the server no longer lists (a commit said parts_mismatch): they are sent again. */
  forgetParts(indices: Iterable<number>): void {
    for (const index of indices) this.#confirmed.delete(index);
  }

  /** The reader hashed a part (and advanced the whole-file SHA-1 to its end when in order). */
  partHashed(index: number, sha1Hex: string): void {
    this.#partDigests.set(index, sha1Hex);
    this.#journal.hashAdvanced?.(this);
  }

  /** A whole-file SHA-1 computed again from the file (a content check). */
  adoptWholeFileHash(fresh: ResumableSha1): void {
    this.#wholeFile.adopt(fresh);
    this.#journal.hashAdvanced?.(this);
  }

  /**
   * Lets go of the session (returned, for the caller to abort on the server). The journal hears
   * of it with the next session or state change.
   */
  detachSession(): UploadSession | undefined {
    const session = this.#session;
    this.#session = undefined;
    return session;
  }

  /** The session is gone on the server: a new one starts; the whole-file SHA-1 does not depend on it. */
  dropSession(): void {
    this.#session = undefined;
    this.#confirmed.clear();
  }

  /** Forgets the session and everything sent or hashed for it. */
  forgetSession(): void {
    this.#session = undefined;
    this.#confirmed = new Map();
    this.#wholeFile = ResumableSha1.create();
    this.#partDigests = new Map();
    this.#resumedFrom = undefined;
  }

  /** Forgets the old version of the file: the next run uploads what is on disk then. */
  startOver(): void {
    this.#snapshot = undefined;
    this.forgetSession();
  }

  /** Keep both: the upload goes on under another name. */
  rename(fileName: string): void {
    this.#fileName = fileName;
    this.#journal.sessionChanged?.(this);
  }

  /** Replace: the upload becomes a new version of the file that holds the name. */
  replaceExisting(fileId: string): void {
    this.#destination = { kind: 'new-version', fileId };
    this.#journal.sessionChanged?.(this);
  }

  /** The person's answer to a name conflict; journaled with the state change that follows it. */
  chooseOnNameConflict(policy: NameConflictPolicy): void {
    this.#onNameConflict = policy === 'ask' ? undefined : policy;
  }

  markIdenticalOnBox(): void {
    this.#identicalOnBox = true;
  }

  markResumed(from: { partsAlreadyUploaded: number; totalParts: number }): void {
    this.#resumedFrom ??= from;
  }

  /** The job's state, as the journal keeps it (active, paused, failed with its error). */
  saveState(state: JobState, error?: JobError): void {
    this.#journal.stateChanged?.(this, state, error);
  }

  /** The job is over for good: the journal forgets it. */
  finish(state: JobState): void {
    this.#journal.finished?.(this, state);
  }
}
