import {
  IN_PROGRESS_STATES,
  type JobError,
  type JobProgressBatch,
  type JobState,
  type JobView,
  type NameConflictChoice,
  type PartProgress,
} from '../../shared/job-model.ts';
import { SignInRequiredError } from '../box/oauth/oauth-client.ts';
import { isQuotaError } from './account-quota.ts';
import { compareSnapshot, snapshotOf } from './file-snapshot.ts';
import { describeJobError } from './job-errors.ts';
import { JobProgress } from './job-progress.ts';
import type { JobRecord, RunningRecord } from './job-record.ts';
import type { EngineContext, JobRuntime } from './job-runtime.ts';
import { FileChangedError, JobInterrupted, NetworkUnavailable, TokenRejected } from './job-stops.ts';
import type { NetworkWaiter } from './network-waiter.ts';
import { uploadResolvingConflicts, type UploadResult } from './conflict-resolution.ts';
import { directAfterSessionRefused, uploadMethodFor } from './part-plan.ts';
import { landedBeforeChange } from './session-ensure.ts';
import { uploadBySession } from './session-upload.ts';
import { openSourceFile } from './source-file.ts';
import { uploadDirect } from './direct-upload.ts';

/** How a promise stands after the microtasks queued now have run (an answer already known settles by then). */
const settledSoon = (promise: Promise<unknown>): Promise<'fulfilled' | 'rejected' | 'pending'> =>
  Promise.race([
    promise.then(
      () => 'fulfilled' as const,
      () => 'rejected' as const,
    ),
    new Promise<'pending'>((resolve) => setImmediate(resolve, 'pending')),
  ]);

/** What a job tells its owner (the queue). */
export interface JobEvents {
  /** The job's view changed (its state, or how it goes up). */
  changed(job: UploadJob): void;
  /** Part progress went from all read to unread: `takeProgress()` has something. Once until read. */
  progressPending(job: UploadJob): void;
}

/**
 * One file's upload and its state machine (drawn in shared/job-model.ts). The queue calls run();
 * pause, cancel and remove interrupt a run through its AbortController.
 */
export class UploadJob {
  readonly record: JobRecord;
  #state: JobState = 'queued';
  #error: JobError | undefined;
  #fileId: string | undefined;
  #sha1: string | undefined;
  #progress: JobProgress | undefined;
  #run: { controller: AbortController; done: Promise<void> } | undefined;
  /**
   * Box refused this job a session for a file of this many bytes as too small: a file of at
   * most this size goes as a direct upload (kept in memory, not journaled).
   */
  #sessionRefusedAtBytes: number | undefined;
  readonly #engine: EngineContext;
  readonly #network: NetworkWaiter;
  readonly #events: JobEvents;

  constructor(
    record: JobRecord,
    engine: EngineContext,
    network: NetworkWaiter,
    events: JobEvents,
    initial: { state: JobState; error?: JobError | undefined } = { state: 'queued' },
  ) {
    this.record = record;
    this.#engine = engine;
    this.#network = network;
    this.#events = events;
    this.#state = initial.state;
    this.#error = initial.error;
  }

  get id(): string {
    return this.record.id;
  }

  get state(): JobState {
    return this.#state;
  }

  get running(): boolean {
    return this.#run !== undefined;
  }

  view(): JobView {
    const size = this.record.snapshot?.sizeBytes ?? this.record.sizeHintBytes ?? 0;
    const totals = this.#progress?.totals() ?? {
      sizeBytes: size,
      bytesConfirmed: this.#state === 'done' ? size : 0,
      bytesSent: 0,
      partsDone: this.record.confirmed.size,
      totalParts: this.record.session?.totalParts ?? 0,
      speedBytesPerSec: 0,
      etaSeconds: null,
    };
    return {
      id: this.id,
      path: this.record.path,
      fileName: this.record.fileName,
      state: this.#state,
      method: this.record.snapshot ? this.#method(size) : 'unknown',
      totals,
      createdAtMs: this.record.createdAtMs,
      ...(this.#error ? { error: this.#error } : {}),
      ...(this.#fileId ? { fileId: this.#fileId } : {}),
      ...(this.#sha1 ? { sha1: this.#sha1 } : {}),
      ...(this.record.resumedFrom ? { resumed: this.record.resumedFrom } : {}),
      ...(this.record.identicalOnBox ? { identicalOnBox: true } : {}),
      ...(this.record.folderPath ? { folderPath: this.record.folderPath } : {}),
      ...(this.record.destinationPath ? { destinationPath: this.record.destinationPath } : {}),
      ...(this.record.session ? { partSizeBytes: this.record.session.partSizeBytes } : {}),
    };
  }

  /** Every part's progress (for a part map opened after the job started). */
  parts(): PartProgress[] {
    if (this.#progress) return this.#progress.parts.map((part) => ({ ...part }));
    const total = this.record.session?.totalParts ?? 0;
    return Array.from({ length: total }, (_, index) => {
      const confirmed = this.record.confirmed.get(index);
      return confirmed
        ? { state: 'done' as const, bytesSent: confirmed.sizeBytes, bytesConfirmed: confirmed.sizeBytes, attempts: 1 }
        : { state: 'pending' as const, bytesSent: 0, bytesConfirmed: 0, attempts: 0 };
    });
  }

  /** The parts changed since the last call, latest state, with the totals; undefined when none did. */
  takeProgress(): JobProgressBatch | undefined {
    return this.#progress?.takeChanges();
  }

  /** Runs the upload until it is done, failed, paused or canceled. */
  run(): Promise<void> {
    if (this.#run) return this.#run.done;
    const controller = new AbortController();
    const done = this.#runUntilSettled(controller.signal).finally(() => {
      this.#run = undefined;
      this.#progress?.dispose();
    });
    this.#run = { controller, done };
    return done;
  }

  pause(): void {
    if (this.#run) this.#run.controller.abort(new JobInterrupted('pause'));
    else if (this.#state === 'queued' || this.#state === 'failed') this.#setState('paused');
  }

  /** Back into the queue: after a pause, a failure, or to retry. */
  resume(): void {
    if (this.#state !== 'paused' && this.#state !== 'failed') return;
    if (this.#error?.kind === 'file-changed') this.#startOver();
    this.#error = undefined;
    this.#setState('queued');
  }

  /** Forgets the old version of the file: the next run uploads what is on disk now. */
  #startOver(): void {
    this.record.startOver();
    this.#progress = undefined;
  }

  /** Stops the job for good and aborts its session on the server. */
  async cancel(reason: 'cancel' | 'remove' = 'cancel'): Promise<void> {
    if (this.#state === 'done' || this.#state === 'canceled') return;
    if (this.#run) {
      this.#run.controller.abort(new JobInterrupted(reason));
      await this.#run.done;
    }
    await this.#abortSession();
    this.#setState('canceled');
    this.record.finish('canceled');
  }

  /** For quitting the app: stop without changing what the journal says, so the job resumes. */
  async shutdown(): Promise<void> {
    if (!this.#run) return;
    this.#run.controller.abort(new JobInterrupted('shutdown'));
    await this.#run.done;
  }

  #setState(state: JobState, error?: JobError): void {
    this.#state = state;
    this.#error = error;
    this.record.saveState(state, error);
    // Parts in flight settle before `changed` goes out: whoever hears it takes the progress then,
    // so a stopped or done job is never shown with parts still on their way.
    if (!IN_PROGRESS_STATES.has(state) || state.startsWith('waiting')) this.#progress?.settle();
    this.#events.changed(this);
  }

  #runtime(record: RunningRecord, signal: AbortSignal): Omit<JobRuntime, 'file'> {
    const { slots, gate, parallel } = this.#engine;
    return {
      record,
      limits: { slots, gate, parallel },
      retry: {
        client: this.#engine.client,
        signal,
        random: this.#engine.random,
        budgets: this.#engine.budgets,
      },
      progressFor: (totalParts) => {
        if (this.#progress?.parts.length !== totalParts) {
          const progress = new JobProgress(this.id, record.snapshot.sizeBytes, totalParts, () => {
            // A model already replaced (a part of the old run still reporting) has no reader.
            if (this.#progress === progress) this.#events.progressPending(this);
          });
          this.#progress = progress;
          // The view changed without a state change: how the file goes up, its part size,
          // how much an earlier run left on the server.
          this.#events.changed(this);
        }
        return this.#progress;
      },
      resetProgress: () => {
        this.#progress = undefined;
      },
      setState: (state) => {
        if (state !== this.#state) this.#setState(state);
      },
    };
  }

  /** One attempt at the whole upload, from opening the file to commit. */
  async #attempt(signal: AbortSignal): Promise<void> {
    const file = await openSourceFile(this.record.path);
    let preflight: Promise<void> | undefined;
    try {
      const now = snapshotOf(file.stats);
      let contentCheck = false;
      let record: RunningRecord;
      const earlier = this.record;
      if (!earlier.hasSnapshot()) {
        record = earlier.takeSnapshot(now);
      } else {
        record = earlier;
        const change = compareSnapshot(record.snapshot, now);
        if (change.kind === 'changed') {
          const landed = await landedBeforeChange(this.#runtime(record, signal));
          if (!landed) throw new FileChangedError(change.description);
          [this.#fileId, this.#sha1] = [landed.id, landed.sha1.toLowerCase()];
          return;
        }
        contentCheck = change.kind === 'ctime-only';
      }
      // A new upload is checked against the account before its first byte is sent: a file it
      // cannot take sends nothing. The check (/users/me, once per batch) runs beside the session's
      // creation and the first part's read instead of before them, so it costs no round trip.
      if (!record.session) {
        preflight = this.#engine.quota?.check(
          { fileName: record.fileName, sizeBytes: now.sizeBytes, destination: record.destination },
          signal,
        );
        preflight?.catch(() => undefined); // awaited before the first byte; not unhandled meanwhile
        // An answer already known (asked for an earlier file of the batch) decides before any session.
        if (preflight && (await settledSoon(preflight)) === 'rejected') await preflight;
      }
      const runtime: JobRuntime = { ...this.#runtime(record, signal), file, preflight };
      const result = await uploadResolvingConflicts(
        runtime,
        {
          dropSession: async () => {
            await this.#abortSession();
            record.forgetSession();
          },
          changed: () => this.#events.changed(this),
        },
        () => this.#upload(runtime, contentCheck),
      );
      this.#fileId = result.file.id;
      this.#sha1 = result.sha1Hex;
    } catch (error) {
      throw signal.aborted ? error : await this.#preflightRefusalOr(preflight, error);
    } finally {
      await file.handle.close();
    }
  }

  /** How the file goes up: direct when small, or when Box refused it a session as too small. */
  #method(sizeBytes: number): 'direct' | 'session' {
    return sizeBytes <= (this.#sessionRefusedAtBytes ?? -1) ? 'direct' : uploadMethodFor(sizeBytes);
  }

  /**
   * Sends the file by the method its size calls for. Box's session minimum is documented only
   * as "20 MB": a session refused as too small (no session was made, so the journal holds none)
   * sends the file directly instead, and so does every later attempt of this job in this process
   * (a file no larger, should it change).
   */
  async #upload(runtime: JobRuntime, contentCheck: boolean): Promise<UploadResult> {
    const sizeBytes = runtime.record.snapshot.sizeBytes;
    if (this.#method(sizeBytes) === 'direct') return uploadDirect(runtime);
    try {
      return await uploadBySession(runtime, contentCheck);
    } catch (error) {
      if (runtime.record.session || !directAfterSessionRefused(error, sizeBytes)) throw error;
      this.#sessionRefusedAtBytes = sizeBytes;
      this.#events.changed(this); // the view's method changed
      return uploadDirect(runtime);
    }
  }

  /**
   * When the preflight that ran beside the upload refused the file, that refusal is what stopped
   * it, and the session made meanwhile (no byte of the file was sent on it) is aborted.
   */
  async #preflightRefusalOr(preflight: Promise<void> | undefined, error: unknown): Promise<unknown> {
    const refusal = await preflight?.then(
      () => undefined,
      (reason: unknown) => ({ reason }),
    );
    if (!refusal) return error;
    await this.#abortSession();
    this.record.forgetSession();
    return refusal.reason;
  }

  /**
   * A person's answer to a job stopped on a name conflict. Returns false when the choice cannot
   * apply (a folder holds the name, so there is no file to replace).
   */
  resolveNameConflict(choice: NameConflictChoice): boolean {
    if (this.#state !== 'failed' || this.#error?.kind !== 'name-taken') return false;
    if (choice === 'replace' && this.#error.takenBy === 'folder') return false;
    this.record.chooseOnNameConflict(choice);
    this.resume();
    return true;
  }

  async #runUntilSettled(signal: AbortSignal): Promise<void> {
    this.#error = undefined;
    for (;;) {
      try {
        this.#setState('uploading');
        await this.#attempt(signal);
        this.#setState('done');
        if (!this.record.identicalOnBox) this.#engine.quota?.committed(this.record.snapshot?.sizeBytes ?? 0);
        this.record.finish('done');
        return;
      } catch (error) {
        if (await this.#settle(error, signal)) return;
      }
    }
  }

  /** Turns what stopped a run into a state. Returns false when the run should go on. */
  async #settle(error: unknown, signal: AbortSignal): Promise<boolean> {
    const interrupted = signal.aborted ? (signal.reason as JobInterrupted) : undefined;
    if (interrupted) {
      if (interrupted.reason === 'pause') this.#setState('paused');
      return true; // cancel/remove/shutdown set their own state
    }
    const server = new URL(this.#engine.client.target.apiBaseUrl).host;
    if (isQuotaError(error) && this.#engine.quota) {
      const sizeBytes = this.record.snapshot?.sizeBytes ?? 0;
      error = await this.#engine.quota.explain(error, {
        fileName: this.record.fileName,
        sizeBytes,
        destination: this.record.destination,
      });
    }
    const describe = () =>
      describeJobError(error, {
        fileName: this.record.fileName,
        folderId: this.record.destination.kind === 'folder' ? this.record.destination.folderId : undefined,
        server,
      });
    try {
      if (error instanceof NetworkUnavailable) {
        this.#setState('waiting-network', describe());
        await this.#network.waitUntilReachable(signal, (atMs) => {
          this.#error = { ...describe(), retryAtMs: atMs };
          this.#events.changed(this);
        });
        return false;
      }
      if (error instanceof TokenRejected) {
        this.#setState('waiting-token', describe());
        if (await this.#engine.client.tokens.waitForNewToken(signal)) return false;
      }
      if (error instanceof SignInRequiredError) {
        // Never "failed": confirmed parts stay confirmed, and the job goes on after a new sign-in.
        this.#setState('waiting-sign-in', describe());
        if (await this.#engine.client.tokens.waitForNewToken(signal, error.signInGeneration)) return false;
      }
    } catch (waitError) {
      // Aborted, or the sign-in ended while probing the server: that decides the state instead.
      if (signal.aborted || waitError instanceof SignInRequiredError) return this.#settle(waitError, signal);
      error = waitError;
    }
    this.#setState('failed', describe());
    if (error instanceof FileChangedError) {
      // Never commit a file made of two versions: the session goes, the person is told.
      await this.#abortSession();
      this.record.finish('failed');
    }
    return true;
  }

  async #abortSession(): Promise<void> {
    const session = this.record.detachSession();
    if (!session) return;
    try {
      await this.#engine.client.abortUploadSession(session.endpoints.abort);
    } catch {
      // Best effort: an unreachable server lets the session expire by itself (7 days).
    }
  }
}
