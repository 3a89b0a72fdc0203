import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import {
  FINISHED_STATES,
  type AddFilesResult,
  type JobsUpdate,
  type JobView,
  type NameConflictChoice,
  type Notice,
} from '../../shared/job-model.ts';
import { ROOT_DESTINATION, type FolderListing } from '../../shared/folder-model.ts';
import { encodeParts, type EncodedParts } from '../../shared/parts-codec.ts';
import type { SettingsPatch, SettingsView, TargetSetting } from '../../shared/settings-model.ts';
import { UploadRateLimit, type RateClock } from '../box/upload-rate-limit.ts';
import type { JournalStore } from '../engine/journal/journal-store.ts';
import type { StateLock } from '../engine/journal/state-lock.ts';
import { JobInterrupted } from '../engine/job-stops.ts';
import type { UploadJob } from '../engine/upload-job.ts';
import type { UploadQueue } from '../engine/upload-queue.ts';
import { openStateDir, openUploads, type Uploads } from '../host/uploads.ts';
import { queuePaths } from './path-intake.ts';
import { FileGrants } from './file-grants.ts';
import type { DroppedFile } from '../../shared/ipc-contract.ts';
import { destinationOf, listFolder } from './folder-browser.ts';
import { QueueActivityTracker, type BatchSummary, type QueueActivity } from './queue-activity.ts';
import { silentLogger, type Logger } from './rotating-log.ts';
import type { LocalboxHandle } from '../localbox/localbox.ts';
import {
  openServiceTarget,
  sameTargetSetting,
  type EmbeddedLocalboxOptions,
  type ServiceTarget,
} from './service-target.ts';
import type { OAuthApp } from '../box/oauth/oauth-client.ts';
import type { OpenInBrowser } from './browser-sign-in.ts';
import type { SecretStore, SettingsStore } from './settings-store.ts';
import { AccountActions, confirmCredentialChange, TargetAccounts, type PersonQuestions } from './target-accounts.ts';
import { ServiceError } from './service-error.ts';
import { UpdateBatcher } from './update-batcher.ts';
import { appSend, type AppNetwork } from './app-network.ts';
import type { BoxClientOptions } from '../box/box-client.ts';
import { UploadHistory } from './upload-history.ts';
import { loopbackOrigin } from '../../shared/box-urls.ts';
import { copiedNotice, ShareActions, type SharePorts } from './share-actions.ts';
import type { HistoryPage, SharedLink, UploadRecord } from '../../shared/share-model.ts';
import { RefusedFiles } from './refused-files.ts';

export interface UploadServiceOptions {
  /** The journal, its lock and the embedded localbox's data live here (the app's userData). */
  stateDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  /** The Box app built into this copy of Hoist (electron/main/built-in-box-app.ts); none: the person's own. */
  builtInBoxApp?: OAuthApp | undefined;
  /** Opens the system browser (shell.openExternal in the app; tests record the URL). */
  openInBrowser?: OpenInBrowser;
  signInTimeoutMs?: number;
  logger?: Logger;
  updateIntervalMs?: number;
  /** Extra options for the embedded localbox (traffic shaping for demos and tests). */
  embeddedLocalbox?: EmbeddedLocalboxOptions;
  /** The upload speed limit's clock (tests pass a simulated one). */
  rateClock?: RateClock;
  /** How often a journal write that failed (a full disk) is tried again; default 2 s. */
  journalRetryMs?: number;
  /** Proxies (Chromium's resolution, credentials asked in main) and extra trusted CAs; see app-network.ts. */
  network?: AppNetwork;
}

export interface ServiceEvents {
  update: [JobsUpdate];
  settings: [SettingsView];
  notice: [Notice];
  activity: [QueueActivity];
  'batch-finished': [BatchSummary];
  'job-failed': [JobView];
  /** The browser's sign-in came back: main brings the window to the front. */
  'signed-in': [];
  /** The recent-uploads history changed (an upload finished, a link was made, it was cleared). */
  history: [];
}

export { ServiceError };

export type { PersonQuestions };

/**
 * What the desktop app runs in its main process: the engine's queue and journal for the chosen
 * target, jobs restored at start, settings, and batched state for the renderer. Plain Node, so
 * the same object serves Electron, the browser tests and the in-memory IPC tests.
 */
export class UploadService extends EventEmitter<ServiceEvents> {
  readonly #options: UploadServiceOptions;
  readonly #logger: Logger;
  readonly #lock: StateLock;
  readonly #accounts: TargetAccounts;
  /** Sign in, sign out, the Box app (IPC's account:* channels). */
  readonly accounts: AccountActions;
  readonly #store: JournalStore;
  readonly #activity = new QueueActivityTracker();
  /** The upload speed limit: one for the service, so it outlives a change of target. */
  readonly #uploadRate: UploadRateLimit;
  /** How every client of the service sends: the upload limit and the app's network (proxies, CAs). */
  readonly #clientOptions: BoxClientOptions;
  /** Aborted at shutdown: stops folder creation still under way. */
  readonly #closing = new AbortController();
  /** Dropped files the renderer may name by id (paths are capabilities). */
  readonly #grants = new FileGrants();
  readonly #startupNotices: Notice[] = [];
  /** The last 1,000 finished uploads, apart from the queue (upload-history.ts). */
  readonly #history: UploadHistory;
  readonly #share: ShareActions;
  /** Files refused when added, kept as failed rows until removed. */
  readonly #refused = new RefusedFiles();
  #target!: ServiceTarget;
  /** The target's journal and queue (electron/host/uploads.ts, shared with the CLI). */
  #uploads!: Uploads;
  #queue!: UploadQueue;
  #batcher!: UpdateBatcher;

  private constructor(options: UploadServiceOptions, lock: StateLock, store: JournalStore) {
    super();
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#lock = lock;
    this.#store = store;
    this.#uploadRate = new UploadRateLimit(
      options.settings.read().uploadLimitBytesPerSec ?? undefined,
      options.rateClock,
    );
    const send = appSend(options.network, options.secrets);
    this.#clientOptions = { uploadRate: this.#uploadRate, ...(send ? { send } : {}) };
    this.#history = UploadHistory.open(join(options.stateDir, 'history.json'), {
      onChange: () => this.emit('history'),
    });
    if (this.#history.problem) this.#startupNotices.push({ level: 'warning', message: `${this.#history.problem}.` });
    this.#share = new ShareActions({
      history: this.#history,
      target: () => ({
        setting: this.#options.settings.read().target,
        label: this.#target.label,
        client: this.#target.client,
        localOrigin: this.#target.localbox?.url ?? loopbackOrigin(this.#target.client.target.apiBaseUrl),
      }),
      finished: (id) => this.#history.get(id) ?? this.#uploadRecord(this.#queue.get(id)?.view()),
      access: () => this.#options.settings.read().sharedLinkAccess,
    });
    this.#accounts = new TargetAccounts({
      ...options,
      send,
      onSignInSaveError: (error) =>
        this.emit('notice', {
          level: 'warning',
          message: `Hoist could not save your Box sign-in: ${error.message}; you may need to sign in again after a restart.`,
        }),
    });
    this.accounts = new AccountActions(this.#accounts, {
      target: () => ({ setting: this.#options.settings.read().target, account: this.#target.account }),
      refuseChangeWhileUnfinished: () => this.#refuseChangeWhileUnfinished(),
      switchTo: (setting) => this.#switchTo(setting),
      clientOptions: this.#clientOptions,
      signedIn: () => this.emit('signed-in'),
      settingsChanged: () => this.#settingsChanged(),
      logger: this.#logger,
    });
  }

  static async start(options: UploadServiceOptions): Promise<UploadService> {
    const { lock, store } = openStateDir(options.stateDir);
    try {
      const service = new UploadService(options, lock, store);
      await service.#open(await service.#openSavedTarget());
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

  /** Opens a target with the credential stored for its server (none for the embedded localbox). */
  #openTarget(setting: TargetSetting): Promise<ServiceTarget> {
    return openServiceTarget(
      setting,
      this.#accounts,
      this.#options.stateDir,
      this.#options.embeddedLocalbox,
      this.#clientOptions,
    );
  }

  /**
   * The saved target, or, when it cannot be used (a URL this version refuses, a setting edited by
   * hand), the embedded localbox with a notice: a bad setting must never keep the app from starting.
   */
  async #openSavedTarget(): Promise<ServiceTarget> {
    const { target } = this.#options.settings.read();
    try {
      return await this.#openTarget(target);
    } catch (error) {
      if (target.kind === 'embedded') throw error;
      const message = `Hoist cannot upload to the saved server (${(error as Error).message}); it uploads to the embedded local Box until you choose a server in Settings.`;
      this.#logger.warn('saved target unusable', { error: (error as Error).message });
      this.#startupNotices.push({ level: 'warning', message });
      this.#options.settings.write({ target: { kind: 'embedded' }, destination: ROOT_DESTINATION });
      return this.#openTarget({ kind: 'embedded' });
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
    this.#queue = this.#uploads.queue;
    // The batcher reads the queue's progress itself, at its own rate: the app's one throttle.
    this.#batcher = new UpdateBatcher((update) => this.#publish(update), this.#queue, this.#options.updateIntervalMs);
    this.#queue.on('job-changed', (view) => this.#jobChanged(view));
    this.#queue.on('progress-pending', () => this.#batcher.progressPending());
    this.#queue.on('job-removed', (id) => this.#batcher.jobRemoved(id));
    for (const { record, state, error } of journal.restore()) {
      const initial = state === 'queued' && !settings.resumeAutomatically ? 'paused' : state;
      this.#queue.adopt(record, initial, error);
      this.#logger.info('restored unfinished upload', { path: record.path, state: initial });
    }
    void this.#refreshAccount();
  }

  /** Asks the server who the credential belongs to, for Settings; quietly keeps what it knew on failure. */
  async #refreshAccount(): Promise<void> {
    const target = this.#target;
    const known = await target.account?.refreshAccount(target.client).catch(() => undefined);
    if (known && target === this.#target) this.emit('settings', this.getSettings());
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
    const finished = this.#uploadRecord(view);
    if (finished) this.#history.record(finished);
  }

  /** A done job as the history keeps it; undefined for a job not done. */
  #uploadRecord(view: JobView | undefined): UploadRecord | undefined {
    if (view?.state !== 'done' || view.fileId === undefined) return undefined;
    const { destination: current } = this.#options.settings.read();
    const record = this.#queue.get(view.id)?.record.destination;
    // Jobs from journals written before Hoist recorded destinationPath: known when it is the chosen folder.
    const folderPath =
      view.destinationPath?.join('/') ??
      (record?.kind === 'folder' && record.folderId === current.folderId && !view.folderPath
        ? current.names.join('/')
        : undefined);
    return {
      id: view.id,
      fileName: view.fileName,
      sizeBytes: view.totals.sizeBytes,
      uploadedAtMs: Date.now(),
      serverLabel: this.#target.label,
      target: this.#options.settings.read().target,
      ...(folderPath ? { folderPath } : {}),
      fileId: view.fileId,
    };
  }

  /** The recent uploads, newest first; `query` filters by name, folder or server. */
  listHistory(request: { query?: string | undefined } = {}): HistoryPage {
    return this.#history.list(request);
  }

  clearHistory(): void {
    this.#history.clear();
  }

  /** "Open on Box" for a done row or a recent upload (by job id). */
  openOnBox(id: string, ports: SharePorts): Promise<void> {
    return this.#share.openOnBox(id, ports);
  }

  /** "Copy shared link": makes the link (the access in Settings), copies it, and says so. */
  async copySharedLink(id: string, ports: SharePorts): Promise<SharedLink> {
    const link = await this.#share.copySharedLink(id, ports);
    const upload = this.#history.get(id) ?? this.#uploadRecord(this.#queue.get(id)?.view());
    this.emit('notice', { level: 'info', message: copiedNotice(upload ?? { fileName: 'the file' }, link) });
    return link;
  }

  #publish(update: JobsUpdate): void {
    this.emit('update', update);
    const { activity, finished } = this.#activity.apply(update);
    this.emit('activity', activity);
    if (finished) this.emit('batch-finished', finished);
  }

  #job(jobId: string): UploadJob {
    const job = this.#queue.get(jobId);
    if (!job) throw new ServiceError('That upload is no longer in the list.');
    return job;
  }

  /** The embedded localbox, when that is the target (for tests and demos). */
  get embeddedLocalbox(): LocalboxHandle | undefined {
    return this.#target.localbox;
  }

  listJobs(): { jobs: JobView[] } {
    return { jobs: [...this.#queue.jobs().map((job) => job.view()), ...this.#refused.views()] };
  }

  /** Every part of a job, compactly encoded for the part map. */
  getParts(jobId: string): EncodedParts {
    const job = this.#job(jobId);
    const view = job.view();
    return encodeParts(jobId, job.parts(), view.partSizeBytes ?? view.totals.sizeBytes, view.totals.sizeBytes);
  }

  /**
   * Registers paths the person dropped (read from the OS's drop by the preload) and answers with
   * an id for each; the renderer then queues them by id with addGrantedFiles. Main calls it for
   * 'drops:register'; tests call it as main would.
   */
  registerDroppedPaths(paths: readonly string[]): { files: DroppedFile[] } {
    return { files: this.#grants.grant(paths) };
  }

  /** Queues dropped files by the ids registerDroppedPaths gave; an id main never issued is refused. */
  addGrantedFiles(fileIds: readonly string[]): Promise<AddFilesResult> {
    return this.addFiles(this.#grants.take(fileIds));
  }

  /**
   * Queues files, and folders with everything in them (the tree is recreated on Box), into the
   * chosen folder; each path that cannot be uploaded comes back with the reason. Only for paths
   * main got from the person (dialogs, command line, "open with"), never from the renderer.
   */
  async addFiles(paths: readonly string[]): Promise<AddFilesResult> {
    const { onNameConflict, destination } = this.#options.settings.read();
    const { added, rejected } = await queuePaths(paths, {
      queue: this.#queue,
      client: this.#target.client,
      logger: this.#logger,
      onNameConflict,
      folderId: destination.folderId,
      folderNames: destination.names,
      signal: this.#closing.signal,
    });
    for (const job of added) {
      const before = this.#refused.idOfPath(job.path);
      if (before && this.#refused.remove(before)) this.#batcher.jobRemoved(before);
    }
    return {
      added,
      // A refusal stays in the list as a failed row; a file already waiting in the queue needs none.
      rejected: rejected.map(({ path, message, inQueue }) => {
        if (inQueue) return { path, message };
        const row = this.#refused.refuse(path, message, destination.names);
        this.#batcher.jobChanged(row);
        return { path, message, jobId: row.id };
      }),
    };
  }

  pause(jobId: string): void {
    this.#job(jobId).pause();
  }

  resume(jobId: string): void {
    this.#job(jobId).resume();
  }

  resolveNameConflict(jobId: string, choice: NameConflictChoice): void {
    const job = this.#job(jobId);
    if (job.resolveNameConflict(choice)) return;
    throw new ServiceError(
      choice === 'replace' && job.view().error?.takenBy === 'folder'
        ? 'A folder holds that name, so there is no file to replace; keep both instead.'
        : 'That upload is not waiting for a choice about its name.',
    );
  }

  async cancel(jobId: string): Promise<void> {
    await this.#job(jobId).cancel();
  }

  async remove(jobId: string): Promise<void> {
    if (this.#refused.remove(jobId)) {
      this.#batcher.jobRemoved(jobId);
      return;
    }
    this.#job(jobId);
    await this.#queue.remove(jobId);
  }

  /** The path to show in the file manager. */
  pathOf(jobId: string): string {
    return this.#job(jobId).record.path;
  }

  pauseAll(): void {
    this.#queue.pauseAll();
  }

  resumeAll(): void {
    this.#queue.resumeAll();
  }

  /** Every failed upload back into the queue; those stopped on a taken name wait for their choice. */
  retryFailed(): { retried: number } {
    let retried = 0;
    for (const job of this.#queue.jobs()) {
      if (job.state !== 'failed' || job.view().error?.kind === 'name-taken') continue;
      job.resume();
      retried += 1;
    }
    return { retried };
  }

  /** Done and canceled uploads out of the list (the journal forgot them when they finished). */
  async clearFinished(): Promise<{ cleared: number }> {
    const finished = this.#queue.jobs().filter((job) => FINISHED_STATES.has(job.state));
    for (const job of finished) await this.#queue.remove(job.id);
    return { cleared: finished.length };
  }

  /** The OS's online/offline events: offline holds probes back, online wakes waiting jobs. */
  networkChanged(online: boolean): void {
    this.#queue.network.setOnline(online);
  }

  /** A folder on the target and its subfolders, for choosing where uploads go. */
  listFolder(folderId: string): Promise<FolderListing> {
    return listFolder(this.#target.client, folderId);
  }

  getSettings(): SettingsView {
    const settings = this.#options.settings.read();
    return {
      target: settings.target,
      ...this.#accounts.view(this.#target.account),
      targetLabel: this.#target.label,
      destination: settings.destination,
      parallel: settings.parallel,
      resumeAutomatically: settings.resumeAutomatically,
      onNameConflict: settings.onNameConflict,
      uploadLimitBytesPerSec: settings.uploadLimitBytesPerSec,
      sharedLinkAccess: settings.sharedLinkAccess,
    };
  }

  /**
   * Applies a settings change. `confirmServerChange` is the person's say (a native dialog in
   * main) before uploads go to another server; main passes it for every change from the renderer.
   */
  async updateSettings(patch: SettingsPatch, asks: PersonQuestions = {}): Promise<SettingsView> {
    const { settings } = this.#options;
    if (patch.parallel !== undefined) {
      this.#queue.setParallel(patch.parallel);
      settings.write({ parallel: patch.parallel });
    }
    if (patch.resumeAutomatically !== undefined) settings.write({ resumeAutomatically: patch.resumeAutomatically });
    if (patch.onNameConflict !== undefined) settings.write({ onNameConflict: patch.onNameConflict });
    if (patch.uploadLimitBytesPerSec !== undefined) {
      this.#uploadRate.set(patch.uploadLimitBytesPerSec ?? undefined);
      settings.write({ uploadLimitBytesPerSec: patch.uploadLimitBytesPerSec });
    }
    if (patch.sharedLinkAccess !== undefined) settings.write({ sharedLinkAccess: patch.sharedLinkAccess });
    if (patch.target) await this.#changeTarget(patch.target, settings, asks);
    if (patch.destinationFolderId !== undefined)
      settings.write({ destination: await destinationOf(this.#target.client, patch.destinationFolderId) });
    return this.#settingsChanged();
  }

  async #changeTarget(
    next: NonNullable<SettingsPatch['target']>,
    settings: SettingsStore,
    asks: PersonQuestions,
  ): Promise<void> {
    const { token, ...setting } = next.kind === 'custom' ? next : { ...next, token: undefined };
    const account = this.#target.account;
    if (sameTargetSetting(settings.read().target, setting)) {
      if (!token || !account) return;
      await confirmCredentialChange(account.credential !== 'none', account.server, asks);
      await account.useToken(token); // jobs waiting for a token carry on
      return;
    }
    this.#refuseChangeWhileUnfinished();
    await this.#confirmServerChange(setting, asks);
    await this.#accounts.confirmTokenForNewTarget(setting, token, asks);
    this.#refuseChangeWhileUnfinished(); // uploads may have been added while the person was asked
    this.#accounts.credentialForNewTarget(setting, token);
    await this.#switchTo(setting);
  }

  #refuseChangeWhileUnfinished(): void {
    const unfinished = this.#queue.jobs().filter((job) => !FINISHED_STATES.has(job.state)).length;
    if (unfinished > 0) {
      throw new ServiceError(
        `Finish, cancel or remove the ${unfinished} upload(s) in the list before changing where Hoist uploads.`,
      );
    }
  }

  /** The person's say before uploads go to another server (the embedded one needs none). */
  async #confirmServerChange(setting: TargetSetting, asks: PersonQuestions): Promise<void> {
    if (setting.kind !== 'custom' || !asks.confirmServerChange) return;
    const { apiBaseUrl, uploadBaseUrl } = setting;
    if (!(await asks.confirmServerChange({ apiBaseUrl, uploadBaseUrl })))
      throw new ServiceError(`Hoist still uploads to ${this.#target.label}: the change of server was not confirmed.`);
  }

  /** Switches to a new target: opened before anything is saved, so one that cannot be opened changes nothing. */
  async #switchTo(setting: TargetSetting): Promise<void> {
    const opened = await this.#openTarget(setting).catch((error: Error) => {
      throw new ServiceError(`Hoist cannot upload to that server: ${error.message}.`);
    });
    this.#options.settings.write({ target: setting, destination: ROOT_DESTINATION });
    const previous = this.#queue.jobs().map((job) => job.id);
    await this.#closeTarget();
    await this.#open(opened);
    for (const id of previous) this.#batcher.jobRemoved(id);
    for (const job of this.#queue.jobs()) this.#batcher.jobChanged(job.view());
  }

  #settingsChanged(): SettingsView {
    const view = this.getSettings();
    this.emit('settings', view);
    return view;
  }

  async #closeTarget(): Promise<void> {
    await this.#uploads.close(); // stops the queue, writes the journal, closes the target
    this.#batcher.flush();
    this.#batcher.dispose();
  }

  /** Stops uploads so they resume at the next start, and releases the state directory. */
  async shutdown(): Promise<void> {
    this.#closing.abort(new JobInterrupted('shutdown'));
    this.#accounts.cancelSignIn();
    await this.#closeTarget();
    this.#history.flush();
    this.#lock.release();
  }
}
