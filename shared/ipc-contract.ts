import { z } from 'zod';
import type { AddFilesResult, AppInfo, JobsUpdate, JobView, Notice } from './job-model.ts';
import { FOLDER_ID_PATTERN, type FolderListing } from './folder-model.ts';
import type { EncodedParts } from './parts-codec.ts';
import { serverPairProblem, serverUrlProblem } from './server-url.ts';
import { SHARED_LINK_ACCESS, type HistoryPage, type SharedLink } from './share-model.ts';
import type { UpdateView } from './update-model.ts';
import {
  PARALLEL_MAX,
  PARALLEL_MIN,
  UPLOAD_LIMIT_MAX_BYTES_PER_SEC,
  UPLOAD_LIMIT_MIN_BYTES_PER_SEC,
  type SettingsPatch,
  type SettingsView,
} from './settings-model.ts';

/**
 * Every IPC channel between the renderer and the main process, declared once (DESIGN.md
 * section 4). Invoke channels take one object and answer; events flow from main. Main validates
 * every request against these schemas, because the renderer is untrusted.
 */

/** Largest number of paths in one request (a big folder drop), and of characters in a path. */
export const MAX_PATHS_PER_REQUEST = 10_000;
export const MAX_PATH_LENGTH = 4096;

/**
 * The opaque id main gives a file the person dropped: the renderer refers to dropped files only
 * by these, never by path (paths are capabilities main hands out; see README, Security).
 */
export const FILE_ID_PATTERN = /^f-[0-9a-f]{32}$/;

const jobId = z.object({ jobId: z.string().min(1).max(100) }).strict();
const folderId = z.string().regex(FOLDER_ID_PATTERN, 'must be a folder id (digits)');
const empty = z.object({}).strict();
const fileId = z.string().regex(FILE_ID_PATTERN, 'must be a file id main issued');
const serverUrl = z
  .string()
  .max(2048)
  .superRefine((value, context) => {
    const problem = serverUrlProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/** An API URL and an upload URL that may go together (shared/server-url.ts serverPairProblem). */
const serverPair = (server: { apiBaseUrl: string; uploadBaseUrl: string }, context: z.RefinementCtx): void => {
  const problem = serverPairProblem(server.apiBaseUrl, server.uploadBaseUrl);
  if (problem) context.addIssue({ code: 'custom', path: ['uploadBaseUrl'], message: problem });
};

export const REQUEST_SCHEMAS = {
  'jobs:list': empty,
  'jobs:parts': jobId,
  /** Files the person dropped, by the ids 'drops:register' gave them (each id works once). */
  'jobs:add': z.object({ fileIds: z.array(fileId).min(1).max(MAX_PATHS_PER_REQUEST) }).strict(),
  /**
   * Sent by the preload only, with the paths webUtils.getPathForFile gave for File objects of a
   * real drop (page script cannot reach ipcRenderer, and a File it builds has no path).
   */
  'drops:register': z
    .object({ paths: z.array(z.string().min(1).max(MAX_PATH_LENGTH)).min(1).max(MAX_PATHS_PER_REQUEST) })
    .strict(),
  /** The native dialog: files (the default), or folders, which keep their structure on Box. */
  'jobs:add-from-dialog': z.object({ pick: z.enum(['files', 'folders']).optional() }).strict(),
  'job:pause': jobId,
  'job:resume': jobId,
  'job:cancel': jobId,
  'job:retry': jobId,
  'job:remove': jobId,
  'job:reveal': jobId,
  'job:resolve-name-conflict': z
    .object({ jobId: z.string().min(1).max(100), choice: z.enum(['replace', 'keep-both']) })
    .strict(),
  'jobs:pause-all': empty,
  'jobs:resume-all': empty,
  /** Every failed upload back into the queue (not those waiting for a choice about their name). */
  'jobs:retry-failed': empty,
  /** Done and canceled uploads out of the list (and out of the journal). */
  'jobs:clear-finished': empty,
  /** A Box folder and its subfolders, to choose where uploads go. */
  'folders:list': z.object({ folderId }).strict(),
  'settings:get': empty,
  'settings:update': z
    .object({
      target: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('embedded') }).strict(),
          z
            .object({
              kind: z.literal('custom'),
              apiBaseUrl: serverUrl,
              uploadBaseUrl: serverUrl,
              token: z.string().min(1).max(4096).optional(),
            })
            .strict()
            .superRefine(serverPair),
        ])
        .optional(),
      destinationFolderId: folderId.optional(),
      parallel: z.union([z.literal('auto'), z.number().int().min(PARALLEL_MIN).max(PARALLEL_MAX)]).optional(),
      resumeAutomatically: z.boolean().optional(),
      onNameConflict: z.enum(['ask', 'replace', 'keep-both']).optional(),
      /** null lifts the limit. */
      uploadLimitBytesPerSec: z
        .number()
        .int()
        .min(UPLOAD_LIMIT_MIN_BYTES_PER_SEC)
        .max(UPLOAD_LIMIT_MAX_BYTES_PER_SEC)
        .nullable()
        .optional(),
      /** Who links made by "Copy shared link" let in. */
      sharedLinkAccess: z.enum(SHARED_LINK_ACCESS).optional(),
    })
    .strict(),
  /**
   * Sign in to this server in the system browser (OAuth 2.0, loopback redirect). Another server
   * than the current one becomes the target once signed in, as a change in Settings would.
   */
  'account:sign-in': z.object({ apiBaseUrl: serverUrl, uploadBaseUrl: serverUrl }).strict().superRefine(serverPair),
  'account:cancel-sign-in': empty,
  /** Revokes and forgets the current server's credentials. */
  'account:sign-out': empty,
  /** "Use your own Box app": its client ID and secret, or null to go back to the built-in one. */
  'account:set-app': z
    .object({
      app: z
        .object({
          clientId: z.string().trim().min(1, 'enter the client ID').max(256),
          clientSecret: z.string().trim().min(1, 'enter the client secret').max(256),
        })
        .strict()
        .nullable(),
    })
    .strict(),
  'app:info': empty,
  /** The recent uploads, newest first; `query` keeps those whose name, folder or server match. */
  'history:list': z.object({ query: z.string().max(200).optional() }).strict(),
  'history:clear': empty,
  /**
   * A finished upload (a done row or a recent upload) by its job id, never a Box file id: only
   * files Hoist uploaded can be opened or shared from the window.
   */
  'upload:open-on-box': z.object({ id: z.string().min(1).max(100) }).strict(),
  'upload:copy-link': z.object({ id: z.string().min(1).max(100) }).strict(),
  'update:get': empty,
  /** "Restart to update": refused while uploads run. */
  'update:restart': empty,
} as const;

export type InvokeChannel = keyof typeof REQUEST_SCHEMAS;

/** A dropped file as the renderer knows it: an id for jobs:add and the name to show. */
export interface DroppedFile {
  fileId: string;
  name: string;
}

/** What each invoke channel answers. */
export interface InvokeResponses {
  'jobs:list': { jobs: JobView[] };
  'jobs:parts': EncodedParts;
  'jobs:add': AddFilesResult;
  'drops:register': { files: DroppedFile[] };
  'jobs:add-from-dialog': AddFilesResult;
  'job:pause': void;
  'job:resume': void;
  'job:cancel': void;
  'job:retry': void;
  'job:remove': void;
  'job:reveal': void;
  'job:resolve-name-conflict': void;
  'jobs:pause-all': void;
  'jobs:resume-all': void;
  'jobs:retry-failed': { retried: number };
  'jobs:clear-finished': { cleared: number };
  'folders:list': FolderListing;
  'settings:get': SettingsView;
  'settings:update': SettingsView;
  'account:sign-in': SettingsView;
  'account:cancel-sign-in': void;
  'account:sign-out': SettingsView;
  'account:set-app': SettingsView;
  'app:info': AppInfo;
  'history:list': HistoryPage;
  'history:clear': void;
  'upload:open-on-box': void;
  'upload:copy-link': SharedLink;
  'update:get': UpdateView;
  'update:restart': void;
}

export type InvokeRequest<C extends InvokeChannel> = z.infer<(typeof REQUEST_SCHEMAS)[C]>;

/** Events from main, with their payloads. */
export const EVENT_CHANNELS = {
  'jobs:updated': true,
  'settings:changed': true,
  'app:notice': true,
  'app:command': true,
  'history:changed': true,
  'update:changed': true,
} as const;

/** Menu items whose work happens in the window. */
export type AppCommand = 'open-settings' | 'add-files' | 'add-folder';

export type EventChannel = keyof typeof EVENT_CHANNELS;

export interface EventPayloads {
  'jobs:updated': JobsUpdate;
  'settings:changed': SettingsView;
  'app:notice': Notice;
  'app:command': { command: AppCommand };
  /** The recent uploads changed: a window showing them asks again. */
  'history:changed': Record<string, never>;
  'update:changed': UpdateView;
}

export type Unsubscribe = () => void;

/**
 * `window.hoist`: one method per channel (no generic send or invoke). The preload implements it
 * by hand and checks itself with `satisfies HoistApi`; API_METHODS ties methods to channels.
 */
export interface HoistApi {
  listJobs(): Promise<InvokeResponses['jobs:list']>;
  getParts(request: InvokeRequest<'jobs:parts'>): Promise<EncodedParts>;
  /** Queues dropped files by the ids registerDroppedFiles gave them. */
  addFiles(request: InvokeRequest<'jobs:add'>): Promise<AddFilesResult>;
  /**
   * Files of a drop (the DOM's File objects): the preload reads each one's path with
   * webUtils.getPathForFile (only files the OS dropped have one) and main answers with ids.
   */
  registerDroppedFiles(files: readonly File[]): Promise<{ files: DroppedFile[] }>;
  addFilesFromDialog(request?: InvokeRequest<'jobs:add-from-dialog'>): Promise<AddFilesResult>;
  pauseJob(request: InvokeRequest<'job:pause'>): Promise<void>;
  resumeJob(request: InvokeRequest<'job:resume'>): Promise<void>;
  cancelJob(request: InvokeRequest<'job:cancel'>): Promise<void>;
  retryJob(request: InvokeRequest<'job:retry'>): Promise<void>;
  removeJob(request: InvokeRequest<'job:remove'>): Promise<void>;
  revealJob(request: InvokeRequest<'job:reveal'>): Promise<void>;
  /** For a job stopped because its name is taken: replace that file, or keep both. */
  resolveNameConflict(request: InvokeRequest<'job:resolve-name-conflict'>): Promise<void>;
  pauseAll(): Promise<void>;
  resumeAll(): Promise<void>;
  /** Retries every failed upload (name conflicts wait for their choice; refused files cannot be retried). */
  retryFailed(): Promise<InvokeResponses['jobs:retry-failed']>;
  /** Removes done and canceled uploads from the list. */
  clearFinished(): Promise<InvokeResponses['jobs:clear-finished']>;
  listFolder(request: InvokeRequest<'folders:list'>): Promise<FolderListing>;
  getSettings(): Promise<SettingsView>;
  updateSettings(request: SettingsPatch): Promise<SettingsView>;
  /** Resolves once signed in (the browser answered) with the settings showing the account. */
  signIn(request: InvokeRequest<'account:sign-in'>): Promise<SettingsView>;
  cancelSignIn(): Promise<void>;
  signOut(): Promise<SettingsView>;
  setBoxApp(request: InvokeRequest<'account:set-app'>): Promise<SettingsView>;
  getAppInfo(): Promise<AppInfo>;
  onJobsUpdated(listener: (update: JobsUpdate) => void): Unsubscribe;
  onSettingsChanged(listener: (settings: SettingsView) => void): Unsubscribe;
  onNotice(listener: (notice: Notice) => void): Unsubscribe;
  onCommand(listener: (message: { command: AppCommand }) => void): Unsubscribe;
  listHistory(request?: InvokeRequest<'history:list'>): Promise<HistoryPage>;
  clearHistory(): Promise<void>;
  /** Opens the uploaded file's page on Box in the system browser. */
  openOnBox(request: InvokeRequest<'upload:open-on-box'>): Promise<void>;
  /** Makes the file's shared link and copies it to the clipboard. */
  copySharedLink(request: InvokeRequest<'upload:copy-link'>): Promise<SharedLink>;
  onHistoryChanged(listener: () => void): Unsubscribe;
  getUpdate(): Promise<UpdateView>;
  restartToUpdate(): Promise<void>;
  onUpdateChanged(listener: (update: UpdateView) => void): Unsubscribe;
}

/** Which HoistApi method serves which channel. */
export const API_METHODS = {
  listJobs: 'jobs:list',
  getParts: 'jobs:parts',
  addFiles: 'jobs:add',
  registerDroppedFiles: 'drops:register',
  addFilesFromDialog: 'jobs:add-from-dialog',
  pauseJob: 'job:pause',
  resumeJob: 'job:resume',
  cancelJob: 'job:cancel',
  retryJob: 'job:retry',
  removeJob: 'job:remove',
  revealJob: 'job:reveal',
  resolveNameConflict: 'job:resolve-name-conflict',
  pauseAll: 'jobs:pause-all',
  resumeAll: 'jobs:resume-all',
  retryFailed: 'jobs:retry-failed',
  clearFinished: 'jobs:clear-finished',
  listFolder: 'folders:list',
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  signIn: 'account:sign-in',
  cancelSignIn: 'account:cancel-sign-in',
  signOut: 'account:sign-out',
  setBoxApp: 'account:set-app',
  getAppInfo: 'app:info',
  onJobsUpdated: 'jobs:updated',
  onSettingsChanged: 'settings:changed',
  onNotice: 'app:notice',
  onCommand: 'app:command',
  listHistory: 'history:list',
  clearHistory: 'history:clear',
  openOnBox: 'upload:open-on-box',
  copySharedLink: 'upload:copy-link',
  onHistoryChanged: 'history:changed',
  getUpdate: 'update:get',
  restartToUpdate: 'update:restart',
  onUpdateChanged: 'update:changed',
} as const satisfies Record<keyof HoistApi, InvokeChannel | EventChannel>;

/** Turns a failed validation into one sentence naming the channel and the problem. */
export function describeInvalidRequest(channel: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
  return `Invalid request on ${channel}${where}: ${issue?.message ?? 'malformed'}`;
}
