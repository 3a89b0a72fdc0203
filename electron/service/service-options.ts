import type { EventEmitter } from 'node:events';
import type { JobsUpdate, JobView, Notice } from '../../shared/job-model.ts';
import type { SettingsView } from '../../shared/settings-model.ts';
import type { RateClock } from '../box/upload-rate-limit.ts';
import type { OAuthApp } from '../box/oauth/oauth-client.ts';
import type { AppNetwork } from './app-network.ts';
import type { OpenInBrowser } from './browser-sign-in.ts';
import type { BatchSummary, QueueActivity } from './queue-activity.ts';
import type { Logger } from './rotating-log.ts';
import type { EmbeddedLocalboxOptions } from './service-target.ts';
import type { SecretStore, SettingsStore } from './settings-store.ts';

/** What UploadService.start needs: where its state lives, its stores, and the hooks main or a test gives it. */
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

/** The events UploadService emits; main forwards them to the window, the dock and notifications. */
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

/** How the service's parts emit the service's events (the UploadService itself). */
export type ServiceEmitter = Pick<EventEmitter<ServiceEvents>, 'emit'>;
