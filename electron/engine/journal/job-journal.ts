import type { JobError, JobState } from '../../../shared/job-model.ts';
import { sameServer } from '../../../shared/settings-model.ts';
import type { StoredPart } from '../../box/box-types.ts';
import { describeTokenOrigins, serverOrigins, tokenMayGoTo } from '../../box/token-origins.ts';
import { JobRecord, type JobHooks } from '../job-record.ts';
import { ResumableSha1 } from '../sha1/resumable-sha1.ts';
import {
  partFromLine,
  partToLine,
  sessionFromJournal,
  sessionToJournal,
  type JobHeader,
  type JournalSession,
  type JournalTarget,
  type PartLine,
} from './journal-schema.ts';
import type { JournalStore } from './journal-store.ts';

/** Failures a retry cannot fix; the CLI drops them from the journal once it has said why. */
const PERMANENT_FAILURES = new Set<JobError['kind']>([
  'file-unreadable',
  'file-changed',
  'name-rejected',
  'name-taken',
  'folder-missing',
]);

/** How a journal records jobs: for which target, which failures it keeps, how it batches writes. */
export interface JournalOptions {
  /** Where jobs recorded by this journal upload to. */
  target: JournalTarget;
  /** 'all' (the app shows failed jobs until removed) or 'resumable' (the CLI). */
  keepFailed: 'all' | 'resumable';
  /** Batching: about one write per second per job, plus every state change at once. */
  flushIntervalMs?: number;
  /**
   * Told once when the journal cannot be written (a full disk, a read-only one), and once when
   * writing works again. Meanwhile nothing is lost from memory and a write is retried every
   * `retryWriteMs`; the caller pauses uploads, whose progress could not be kept.
   */
  onWriteFailed?: (problem: JournalWriteProblem) => void;
  onWriteRecovered?: () => void;
  retryWriteMs?: number;
  /**
   * A record dropped from the journal while its upload session was still open on the server
   * (the CLI drops failures a retry cannot fix): abort it there, or its parts linger for days.
   */
  abortSession?: (abortUrl: string) => void;
}

/** Why the journal could not be written, in words for the person. */
export interface JournalWriteProblem {
  message: string;
  code: string | undefined;
}

/** The sentence for a failed journal write: a full disk is the common case and says so. */
export function describeJournalWriteError(dir: string, error: unknown): JournalWriteProblem {
  const code = (error as NodeJS.ErrnoException).code;
  const message =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? `Hoist cannot save its progress: the disk holding ${dir} is full`
      : `Hoist cannot save its progress in ${dir}: ${(error as Error).message}`;
  return { message, code };
}

/** A job read back from the journal, with the state the queue gives it (active ones are queued again). */
export interface RestoredJob {
  record: JobRecord;
  state: 'queued' | 'paused' | 'failed';
  error?: JobError;
  header: JobHeader;
}

/** Whether two journal targets are the same server (jobs of other servers are left alone). */
export const sameTarget = (a: JournalTarget, b: JournalTarget): boolean => sameServer(a, b);

/** The embedded localbox listens on a new port each run: move recorded URLs to the current one. */
function rebase(url: string, from: JournalTarget, to: JournalTarget): string {
  return from.kind === 'embedded' && to.kind === 'embedded' && url.startsWith(from.origin)
    ? to.origin + url.slice(from.origin.length)
    : url;
}

/** Up to this many jobs, state changes are written at once (each write costs O(jobs)). */
export const WRITE_AT_ONCE_MAX_JOBS = 50;
/** Past that, state changes within this long share one write: ms per job, capped at 1 s. */
const COALESCE_MS_PER_JOB = 0.5;
const COALESCE_MAX_MS = 1000;

/**
 * The engine's JobHooks, written to a JournalStore: what an unfinished job needs to resume after
 * a crash or restart. Part confirmations and hash progress are batched; state changes, session
 * changes and snapshots are written at once, except that with thousands of jobs (a folder drop)
 * state changes close together share a write, so the journal costs O(jobs) per write window
 * rather than per change. Nothing here ever sees a token.
 */
export class JobJournal implements JobHooks {
  readonly store: JournalStore;
  readonly #options: JournalOptions;
  readonly #records = new Map<string, JobRecord>();
  readonly #states = new Map<string, { state: JobHeader['state']; error?: JobError }>();
  readonly #dirty = new Set<string>();
  readonly #pendingParts = new Map<string, PartLine[]>();
  readonly #removed = new Set<string>();
  /** Jobs whose part log is rewritten whole at the next write (their session changed). */
  readonly #partsReset = new Set<string>();
  #writeProblem: JournalWriteProblem | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #timerDueMs = Infinity;

  constructor(store: JournalStore, options: JournalOptions) {
    this.store = store;
    this.#options = options;
  }

  /** Unfinished jobs recorded for this journal's target, ready for the queue. */
  restore(): RestoredJob[] {
    const restored: RestoredJob[] = [];
    for (const header of this.store.headers()) {
      if (!sameTarget(header.target, this.#options.target)) continue;
      const record = this.#recordFrom(header);
      this.#records.set(record.id, record);
      this.#states.set(record.id, {
        state: header.state,
        ...(header.lastError ? { error: header.lastError as JobError } : {}),
      });
      restored.push({
        record,
        header,
        state: header.state === 'active' ? 'queued' : header.state,
        ...(header.lastError ? { error: header.lastError as JobError } : {}),
      });
    }
    return restored;
  }

  /** Jobs recorded for other targets (reported by `hoist resume`, never touched). */
  otherTargets(): JobHeader[] {
    return this.store.headers().filter((header) => !sameTarget(header.target, this.#options.target));
  }

  /**
   * The recorded session's URLs moved to this run's server, or undefined when any of them is not
   * where this target's token may go (token-origins.ts: the target's own origins, and for Box
   * also Box's other hosts, where Box may put a session): a journal is a file anyone with the
   * user's rights may edit, and it must not send parts, or the token with them, anywhere else.
   */
  #endpointsOnTarget(header: JobHeader): JournalSession['endpoints'] | undefined {
    if (!header.session) return undefined;
    const to = this.#options.target;
    const allowed = to.kind === 'embedded' ? [new URL(to.origin).origin] : serverOrigins(to);
    const endpoints: Record<string, string> = {};
    for (const [name, url] of Object.entries(header.session.endpoints)) {
      const moved = rebase(url, header.target, to);
      if (!tokenMayGoTo(moved, allowed)) {
        const origin = URL.canParse(moved) ? new URL(moved).origin : 'an invalid URL';
        this.store.problems.push({
          message: `the journal's upload session for ${header.path} pointed at ${origin}, not at ${describeTokenOrigins(allowed)}; it was not used and the file uploads anew`,
        });
        return undefined;
      }
      endpoints[name] = moved;
    }
    return endpoints as JournalSession['endpoints'];
  }

  #recordFrom(header: JobHeader): JobRecord {
    const endpoints = this.#endpointsOnTarget(header);
    let wholeFile: ResumableSha1;
    try {
      if (header.session && !endpoints) throw new Error('session refused: the hash starts over with it');
      wholeFile = ResumableSha1.restore(header.sha1State);
    } catch {
      wholeFile = ResumableSha1.create(); // re-hashed from the start; slower, still correct
    }
    const session = header.session && endpoints ? sessionFromJournal({ ...header.session, endpoints }) : undefined;
    const parts = session ? this.store.readParts(header.id) : [];
    return new JobRecord({
      id: header.id,
      path: header.path,
      fileName: header.fileName,
      destination: header.destination,
      ...(header.onNameConflict ? { onNameConflict: header.onNameConflict } : {}),
      ...(header.folderPath ? { folderPath: header.folderPath } : {}),
      ...(header.destinationPath ? { destinationPath: header.destinationPath } : {}),
      ...(header.sizeHintBytes !== undefined ? { sizeHintBytes: header.sizeHintBytes } : {}),
      createdAtMs: header.createdAtMs,
      snapshot: header.snapshot ?? undefined,
      session,
      confirmed: new Map(parts.map(partFromLine)),
      wholeFile,
      restored: true,
    });
  }

  #headerFor(record: JobRecord): JobHeader {
    const session = record.session;
    const saved = this.#states.get(record.id) ?? { state: 'active' as const };
    let confirmedBytes = 0;
    for (const part of record.confirmed.values()) confirmedBytes += part.sizeBytes;
    return {
      id: record.id,
      path: record.path,
      fileName: record.fileName,
      destination: record.destination,
      ...(record.onNameConflict ? { onNameConflict: record.onNameConflict } : {}),
      ...(record.folderPath ? { folderPath: record.folderPath } : {}),
      ...(record.destinationPath ? { destinationPath: record.destinationPath } : {}),
      ...(record.sizeHintBytes !== undefined ? { sizeHintBytes: record.sizeHintBytes } : {}),
      target: this.#options.target,
      createdAtMs: record.createdAtMs,
      updatedAtMs: Date.now(),
      snapshot: record.snapshot ?? null,
      session: session ? sessionToJournal(session) : null,
      sha1State: record.wholeFile.save(),
      confirmedParts: record.confirmed.size,
      confirmedBytes,
      state: saved.state,
      ...(saved.error
        ? {
            lastError: {
              kind: saved.error.kind,
              message: saved.error.message,
              ...(saved.error.detail ? { detail: saved.error.detail } : {}),
              ...(saved.error.takenBy ? { takenBy: saved.error.takenBy } : {}),
            },
          }
        : {}),
    };
  }

  sessionChanged(record: JobRecord): void {
    this.#pendingParts.delete(record.id);
    this.#partsReset.add(record.id); // the new session's part log replaces the old one
    this.#writeNow(record);
  }

  partConfirmed(record: JobRecord, index: number, part: StoredPart): void {
    const pending = this.#pendingParts.get(record.id) ?? [];
    pending.push(partToLine(index, part));
    this.#pendingParts.set(record.id, pending);
    this.#markDirty(record);
  }

  hashAdvanced(record: JobRecord): void {
    this.#markDirty(record);
  }

  /**
   * The snapshot waits for the batching window (no fsync before the first byte for it):
   * sessionChanged writes it at once, before any part goes out, and a direct upload, which has
   * nothing to resume, starts over with a new snapshot anyway.
   */
  snapshotChanged(record: JobRecord): void {
    this.#markDirty(record);
  }

  stateChanged(record: JobRecord, state: JobState, error?: JobError): void {
    if (state === 'done' || state === 'canceled') return; // finished() removes the record
    const persisted: JobHeader['state'] = state === 'paused' ? 'paused' : state === 'failed' ? 'failed' : 'active';
    if (
      persisted === 'failed' &&
      this.#options.keepFailed === 'resumable' &&
      error &&
      PERMANENT_FAILURES.has(error.kind)
    ) {
      const abortUrl = record.session?.endpoints.abort;
      if (abortUrl) this.#options.abortSession?.(abortUrl);
      this.#remove(record.id);
      return;
    }
    this.#states.set(record.id, { state: persisted, ...(persisted === 'failed' && error ? { error } : {}) });
    this.#writeSoon(record);
  }

  finished(record: JobRecord): void {
    this.#remove(record.id);
  }

  /**
   * Writes everything pending now (on a timer, and before the process exits). Never throws: a
   * write that fails (a full disk) keeps everything pending, is reported once, and is retried.
   */
  flush(): void {
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerDueMs = Infinity;
    if (this.#dirty.size === 0 && this.#removed.size === 0) return;
    try {
      this.#write();
    } catch (error) {
      if (!this.#writeProblem) {
        this.#writeProblem = describeJournalWriteError(this.store.dir, error);
        this.#options.onWriteFailed?.(this.#writeProblem);
      }
      this.#flushWithin(this.#options.retryWriteMs ?? 2000);
      return;
    }
    if (this.#writeProblem) {
      this.#writeProblem = undefined;
      this.#options.onWriteRecovered?.();
    }
  }

  /**
   * The last write, when the state directory is being let go: what changes after this (a job's
   * last event arriving late) is not written, since the directory's lock may be another
   * process's by then, and no timer (a write retried every 2 s) keeps the process alive.
   */
  close(): void {
    this.flush();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#closed = true;
  }

  /** Whether the journal is failing to write now. */
  get writeProblem(): JournalWriteProblem | undefined {
    return this.#writeProblem;
  }

  #write(): void {
    const headers: JobHeader[] = [];
    for (const id of this.#dirty) {
      const record = this.#records.get(id);
      if (!record) continue;
      // Parts first: the record never claims progress the part log cannot back. Pending parts
      // are let go only once written, so a failed write is simply tried again.
      if (this.#partsReset.has(id)) {
        this.store.resetParts(
          id,
          [...record.confirmed.entries()].map(([i, part]) => partToLine(i, part)),
        );
        this.#partsReset.delete(id);
      } else {
        this.store.appendParts(id, this.#pendingParts.get(id) ?? []);
      }
      this.#pendingParts.delete(id);
      headers.push(this.#headerFor(record));
    }
    this.store.write(headers, this.#removed);
    this.#dirty.clear();
    this.#removed.clear();
  }

  #markDirty(record: JobRecord): void {
    this.#records.set(record.id, record);
    this.#dirty.add(record.id);
    this.#flushWithin(this.#options.flushIntervalMs ?? 1000);
  }

  #flushWithin(delayMs: number): void {
    if (this.#closed) return;
    const dueMs = Date.now() + delayMs;
    if (this.#timer && this.#timerDueMs <= dueMs) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerDueMs = dueMs;
    this.#timer = setTimeout(() => this.flush(), delayMs);
  }

  /** A state change: written at once, or, with thousands of jobs, within a short window. */
  #writeSoon(record: JobRecord): void {
    if (this.#records.size <= WRITE_AT_ONCE_MAX_JOBS) {
      this.#writeNow(record);
      return;
    }
    this.#records.set(record.id, record);
    this.#dirty.add(record.id);
    this.#flushWithin(Math.min(COALESCE_MAX_MS, this.#records.size * COALESCE_MS_PER_JOB));
  }

  #writeNow(record: JobRecord): void {
    this.#records.set(record.id, record);
    this.#dirty.add(record.id);
    this.flush();
  }

  #remove(id: string): void {
    const many = this.#records.size > WRITE_AT_ONCE_MAX_JOBS;
    this.#records.delete(id);
    this.#states.delete(id);
    this.#dirty.delete(id);
    this.#pendingParts.delete(id);
    this.#partsReset.delete(id);
    this.#removed.add(id);
    if (many) this.#flushWithin(Math.min(COALESCE_MAX_MS, this.#records.size * COALESCE_MS_PER_JOB));
    else this.flush();
  }
}
