import { EventEmitter } from 'node:events';
import type { AddFilesResult, JobsUpdate, JobView, NameConflictChoice, Notice } from '../../shared/job-model.ts';
import type { FolderListing } from '../../shared/folder-model.ts';
import type { EncodedParts } from '../../shared/parts-codec.ts';
import type { SettingsPatch, SettingsView } from '../../shared/settings-model.ts';
import type { DroppedFile } from '../../shared/ipc-contract.ts';
import type { HistoryPage, SharedLink } from '../../shared/share-model.ts';
import type { JournalStore } from '../engine/journal/journal-store.ts';
import type { StateLock } from '../engine/journal/state-lock.ts';
import { JobInterrupted } from '../engine/job-stops.ts';
import type { UploadQueue } from '../engine/upload-queue.ts';
import { openStateDir, openUploads, type Uploads } from '../host/uploads.ts';
import type { LocalboxHandle } from '../localbox/localbox.ts';
import type { CurrentUploads } from './current-uploads.ts';
import { FileIntake } from './file-intake.ts';
import { listFolder } from './folder-browser.ts';
import { JobControls } from './job-controls.ts';
import { QueueActivityTracker } from './queue-activity.ts';
import { RecentUploads } from './recent-uploads.ts';
import { RefusedFiles } from './refused-files.ts';
import { silentLogger, type Logger } from './rotating-log.ts';
import { ServiceError } from './service-error.ts';
import type { ServiceEvents, UploadServiceOptions } from './service-options.ts';
import type { ServiceTarget } from './service-target.ts';
import type { SharePorts } from './share-actions.ts';
import type { AccountActions, PersonQuestions } from './target-accounts.ts';
import { TargetSettings } from './target-settings.ts';
import { UpdateBatcher } from './update-batcher.ts';

export { ServiceError };

export type { PersonQuestions, ServiceEvents, UploadServiceOptions };

/**
 * What the desktop app runs in its main process: the engine's queue and journal for the chosen
 * target, jobs restored at start, settings, and batched state for the renderer. Plain Node, so
 * the same object serves Electron, the browser tests and the in-memory IPC tests.
 *
 * It owns the target's uploads of the moment (electron/host/uploads.ts, shared with the CLI) and
 * wires their queue to the renderer's updates; the rest is in its parts: settings and the change
 * of target (target-settings.ts), adding files (file-intake.ts), the rows' controls
 * (job-controls.ts), and the recent uploads with sharing (recent-uploads.ts).
 */
export class UploadService extends EventEmitter<ServiceEvents> {
  readonly #options: UploadServiceOptions;
  readonly #logger: Logger;
  readonly #lock: StateLock;
  readonly #store: JournalStore;
  readonly #activity = new QueueActivityTracker();
  /** Aborted at shutdown: stops folder creation still under way. */
  readonly #closing = new AbortController();
  readonly #startupNotices: Notice[] = [];
  readonly #settings: TargetSettings;
  /** Sign in, sign out, the Box app (IPC's account:* channels). */
  readonly accounts: AccountActions;
  readonly #recent: RecentUploads;
  readonly #intake: FileIntake;
  readonly #jobs: JobControls;
  #target!: ServiceTarget;
  /** The target's journal and queue (electron/host/uploads.ts, shared with the CLI). */
  #uploads!: Uploads;
  #queue!: UploadQueue;
  #batcher!: UpdateBatcher;
  #unwire: () => void = () => undefined;

  private constructor(options: UploadServiceOptions, lock: StateLock, store: JournalStore) {
    super();
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#lock = lock;
    this.#store = store;
    // The parts ask for the target, queue and batcher each time: a change of target replaces them.
    const current: CurrentUploads = {
      target: () => this.#target,
      queue: () => this.#queue,
      rowChanged: (view) => this.#batcher.jobChanged(view),
      rowRemoved: (id) => this.#batcher.jobRemoved(id),
    };
    const { settings, stateDir } = options;
    this.#recent = new RecentUploads({ stateDir, settings, current, events: this });
    if (this.#recent.problem) this.#startupNotices.push({ level: 'warning', message: `${this.#recent.problem}.` });
    this.#settings = new TargetSettings({
      options,
      logger: this.#logger,
      current,
      events: this,
      replaceTarget: (opened) => this.#replaceTarget(opened),
    });
    this.accounts = this.#settings.actions;
    const refused = new RefusedFiles();
    this.#intake = new FileIntake({ settings, current, refused, logger: this.#logger, signal: this.#closing.signal });
    this.#jobs = new JobControls(current, refused);
  }

  /** Takes the state directory, opens the saved target and takes back the journal's unfinished jobs. */
  static async start(options: UploadServiceOptions): Promise<UploadService> {
    const { lock, store } = openStateDir(options.stateDir);
    try {
      const service = new UploadService(options, lock, store);
      await service.#open(await service.#settings.openSavedTarget(service.#startupNotices));
      for (const problem of service.#store.problems) {
        service.#logger.warn('journal problem', { ...problem });
        service.#startupNotices.push({ level: 'warning', message: `${problem.message}.` });
      }
      return service;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Notices from the start (journal problems, a saved server that cannot be used), handed out once. */
  takeStartupNotices(): Notice[] {
    return this.#startupNotices.splice(0);
  }

  /** Takes `target` and its queue, and takes back the journal's unfinished jobs. */
  async #open(target: ServiceTarget): Promise<void> {
    const settings = this.#options.settings.read();
    this.#target = target;
    this.#uploads = openUploads({
      store: this.#store,
      target,
      keepFailed: 'all',
      parallel: settings.parallel,
      warn: (message) => this.emit('notice', { level: 'warning', message }),
      onWriteFailed: (problem) => this.#logger.warn('journal write failed', { ...problem }),
      ...(this.#options.journalRetryMs ? { retryWriteMs: this.#options.journalRetryMs } : {}),
    });
    const { journal } = this.#uploads;
    const queue = (this.#queue = this.#uploads.queue);
    // The batcher reads the queue's progress itself, at its own rate: the app's one throttle.
    const batcher = (this.#batcher = new UpdateBatcher(
      (update) => this.#publish(update),
      queue,
      this.#options.updateIntervalMs,
    ));
    const changed = (view: JobView): void => this.#jobChanged(view);
    const pending = (): void => batcher.progressPending();
    const removed = (id: string): void => batcher.jobRemoved(id);
    queue.on('job-changed', changed).on('progress-pending', pending).on('job-removed', removed);
    // A closed target's queue must not reach the next target's batcher.
    this.#unwire = () => queue.off('job-changed', changed).off('progress-pending', pending).off('job-removed', removed);
    for (const { record, state, error } of journal.restore()) {
      const initial = state === 'queued' && !settings.resumeAutomatically ? 'paused' : state;
      this.#queue.adopt(record, initial, error);
      this.#logger.info('restored unfinished upload', { path: record.path, state: initial });
    }
    void this.#settings.refreshAccount();
  }

  #jobChanged(view: JobView): void {
    this.#activity.jobChanged(view);
    this.#batcher.jobChanged(view);
    this.#logger.info(`job ${view.state}`, {
      path: view.path,
      ...(view.error ? { error: view.error.message, detail: view.error.detail } : {}),
      ...(view.state === 'done' ? { fileId: view.fileId, sha1: view.sha1 } : {}),
    });
    if (view.state === 'failed') this.emit('job-failed', view);
    this.#recent.jobChanged(view);
  }

  #publish(update: JobsUpdate): void {
    this.emit('update', update);
    const { activity, finished } = this.#activity.apply(update);
    this.emit('activity', activity);
    if (finished) this.emit('batch-finished', finished);
  }

  /** Closes the current target and takes `opened` instead; the renderer's rows follow the new queue. */
  async #replaceTarget(opened: ServiceTarget): Promise<void> {
    const previous = this.#queue.jobs().map((job) => job.id);
    await this.#closeTarget();
    await this.#open(opened);
    for (const id of previous) this.#batcher.jobRemoved(id);
    for (const job of this.#queue.jobs()) this.#batcher.jobChanged(job.view());
  }

  async #closeTarget(): Promise<void> {
    await this.#uploads.close(); // stops the queue, writes the journal, closes the target
    this.#batcher.flush();
    this.#batcher.dispose();
    this.#unwire();
  }

  /** Stops uploads so they resume at the next start, and releases the state directory. */
  async shutdown(): Promise<void> {
    this.#closing.abort(new JobInterrupted('shutdown'));
    this.#settings.cancelSignIn();
    await this.#closeTarget();
    this.#recent.flush();
    this.#lock.release();
  }

  /** The embedded localbox, when that is the target (for tests and demos). */
  get embeddedLocalbox(): LocalboxHandle | undefined {
    return this.#target.localbox;
  }
  /** The recent uploads, newest first; `query` filters by name, folder or server. */
  listHistory(request: { query?: string | undefined } = {}): HistoryPage {
    return this.#recent.list(request);
  }
  /** Forgets the recent uploads (the files stay on Box). */
  clearHistory(): void {
    this.#recent.clear();
  }
  /** "Open on Box" for a done row or a recent upload (by job id). */
  openOnBox(id: string, ports: SharePorts): Promise<void> {
    return this.#recent.openOnBox(id, ports);
  }
  /** "Copy shared link": makes the link (the access in Settings), copies it, and says so. */
  copySharedLink(id: string, ports: SharePorts): Promise<SharedLink> {
    return this.#recent.copySharedLink(id, ports);
  }

  /** Every row of the list: the queue's jobs and the files refused when added. */
  listJobs(): { jobs: JobView[] } {
    return this.#jobs.list();
  }
  /** Every part of a job, compactly encoded for the part map. */
  getParts(jobId: string): EncodedParts {
    return this.#jobs.parts(jobId);
  }

  /**
   * Registers paths the person dropped (read from the OS's drop by the preload) and answers with
   * an id for each; the renderer then queues them by id with addGrantedFiles. Main calls it for
   * 'drops:register'; tests call it as main would.
   */
  registerDroppedPaths(paths: readonly string[]): { files: DroppedFile[] } {
    return this.#intake.register(paths);
  }
  /** Queues dropped files by the ids registerDroppedPaths gave; an id main never issued is refused. */
  addGrantedFiles(fileIds: readonly string[]): Promise<AddFilesResult> {
    return this.#intake.addGranted(fileIds);
  }
  /**
   * Queues files, and folders with everything in them (the tree is recreated on Box), into the
   * chosen folder; each path that cannot be uploaded comes back with the reason. Only for paths
   * main got from the person (dialogs, command line, "open with"), never from the renderer.
   */
  addFiles(paths: readonly string[]): Promise<AddFilesResult> {
    return this.#intake.add(paths);
  }

  /** Pauses one upload; it keeps its place and the parts Box confirmed. */
  pause(jobId: string): void {
    this.#jobs.pause(jobId);
  }
  /** Resumes a paused upload, or retries a failed one. */
  resume(jobId: string): void {
    this.#jobs.resume(jobId);
  }
  /** The person's choice (keep both, replace, skip) for an upload stopped on a taken name. */
  resolveNameConflict(jobId: string, choice: NameConflictChoice): void {
    this.#jobs.resolveNameConflict(jobId, choice);
  }
  /** Cancels an upload; its row stays, canceled. */
  cancel(jobId: string): Promise<void> {
    return this.#jobs.cancel(jobId);
  }
  /** Takes a row out of the list (a job of the queue or a refused file). */
  remove(jobId: string): Promise<void> {
    return this.#jobs.remove(jobId);
  }
  /** The path to show in the file manager. */
  pathOf(jobId: string): string {
    return this.#jobs.pathOf(jobId);
  }

  /** Pauses every upload not finished. */
  pauseAll(): void {
    this.#jobs.pauseAll();
  }
  /** Resumes every paused upload. */
  resumeAll(): void {
    this.#jobs.resumeAll();
  }
  /** Every failed upload back into the queue; those stopped on a taken name wait for their choice. */
  retryFailed(): { retried: number } {
    return this.#jobs.retryFailed();
  }
  /** Done and canceled uploads out of the list (the journal forgot them when they finished). */
  clearFinished(): Promise<{ cleared: number }> {
    return this.#jobs.clearFinished();
  }

  /** The OS's online/offline events: offline holds probes back, online wakes waiting jobs. */
  networkChanged(online: boolean): void {
    this.#queue.network.setOnline(online);
  }
  /** A folder on the target and its subfolders, for choosing where uploads go. */
  listFolder(folderId: string): Promise<FolderListing> {
    return listFolder(this.#target.client, folderId);
  }

  /** The settings as Settings shows them, with the target's label and account (never a secret). */
  getSettings(): SettingsView {
    return this.#settings.view();
  }
  /**
   * Applies a settings change. `confirmServerChange` is the person's say (a native dialog in
   * main) before uploads go to another server; main passes it for every change from the renderer.
   */
  updateSettings(patch: SettingsPatch, asks: PersonQuestions = {}): Promise<SettingsView> {
    return this.#settings.update(patch, asks);
  }
}
