import { EventEmitter } from 'node:events';
import type { Notice } from '../../shared/job-model.ts';
import type { UpdateView } from '../../shared/update-model.ts';
import { ServiceError } from './service-error.ts';

/**
 * The part of electron-updater's autoUpdater the app uses (main adapts it; tests drive a fake).
 * It downloads by itself after a check that found a newer version (autoDownload).
 */
export interface UpdaterPort {
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
  on(event: 'update-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error & { code?: string }) => void): unknown;
}

/** Timers, so tests run six hours without waiting them. */
export interface UpdateScheduler {
  every(intervalMs: number, run: () => void): () => void;
}

/** The scheduler of the app: real intervals, unref'd so they never keep the process alive. */
export const realScheduler: UpdateScheduler = {
  every(intervalMs, run) {
    const timer = setInterval(run, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** Checked at start and every 6 hours, as desktop apps with electron-updater commonly do. */
export const CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

/**
 * electron-updater's codes for a download that is not what the feed promised: its SHA-512
 * differs (builder-util-runtime's DigestTransform), or on Windows its signature is not the
 * publisher's (NsisUpdater). Such a file is never installed.
 */
const VERIFY_FAILURES = new Set(['ERR_CHECKSUM_MISMATCH', 'ERR_UPDATER_INVALID_SIGNATURE']);

/** Whether an update failed because its download was not what the feed promised (a checksum or signature mismatch). */
export function failedVerification(error: Error & { code?: string }): boolean {
  return (error.code !== undefined && VERIFY_FAILURES.has(error.code)) || /checksum mismatch/i.test(error.message);
}

interface UpdateEvents {
  changed: [UpdateView];
  notice: [Notice];
}

/**
 * When to check, when to offer "Restart to update", and never restarting while uploads run:
 *
 *   idle ──check──► checking ──newer──► downloading ──downloaded──► ready ──restart (no uploads)──► installing
 *    ▲                 │ none, error         │ failed verification: discarded, notice
 *    └─────────────────┴─────────────────────┘ other error: quietly back to idle
 *
 * Checks happen at start and every 6 hours, never while one is under way or an update waits.
 */
export class UpdateController extends EventEmitter<UpdateEvents> {
  readonly #port: UpdaterPort;
  readonly #uploadsRunning: () => boolean;
  #view: UpdateView = { state: 'idle', canRestart: false };
  #stop: (() => void) | undefined;

  constructor(port: UpdaterPort, uploadsRunning: () => boolean) {
    super();
    this.#port = port;
    this.#uploadsRunning = uploadsRunning;
    port.on('update-available', ({ version }) => this.#set({ state: 'downloading', version }));
    port.on('update-not-available', () => this.#set({ state: 'idle' }));
    port.on('update-downloaded', ({ version }) => this.#set({ state: 'ready', version }));
    port.on('error', (error) => this.#failed(error));
  }

  get view(): UpdateView {
    return this.#view;
  }

  /** Checks now and every 6 hours. */
  start(scheduler: UpdateScheduler = realScheduler, intervalMs = CHECK_INTERVAL_MS): void {
    this.#stop?.();
    this.#stop = scheduler.every(intervalMs, () => this.check());
    this.check();
  }

  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
  }

  /** A check, unless one is under way or an update is already downloading or waiting. */
  check(): void {
    if (this.#view.state !== 'idle') return;
    this.#set({ state: 'checking' });
    this.#port.checkForUpdates().catch((error: Error) => this.#failed(error));
  }

  /** Uploads started or stopped: the offer to restart follows. */
  uploadsChanged(): void {
    this.#set({ state: this.#view.state, ...(this.#view.version ? { version: this.#view.version } : {}) });
  }

  /** "Restart to update": only with an update ready and no upload running. */
  restart(): void {
    if (this.#view.state !== 'ready') throw new ServiceError('There is no update ready to install.');
    if (this.#uploadsRunning())
      throw new ServiceError('Hoist restarts to update once the uploads running now have finished or are paused.');
    this.#set({ state: 'installing', version: this.#view.version ?? '' });
    this.#port.quitAndInstall();
  }

  #failed(error: Error & { code?: string }): void {
    const { state, version } = this.#view;
    if (failedVerification(error)) {
      this.emit('notice', {
        level: 'warning',
        message: `The update${version ? ` to Hoist ${version}` : ''} did not match what its publisher signed, so it was discarded; Hoist will check again later.`,
      });
      this.#set({ state: 'idle' });
      return;
    }
    // No network, no feed: nothing a person can act on; the next check tries again.
    if (state === 'checking' || state === 'downloading') this.#set({ state: 'idle' });
  }

  #set(next: Omit<UpdateView, 'canRestart'>): void {
    const view: UpdateView = { ...next, canRestart: next.state === 'ready' && !this.#uploadsRunning() };
    if (JSON.stringify(view) === JSON.stringify(this.#view)) return;
    this.#view = view;
    this.emit('changed', view);
  }
}
