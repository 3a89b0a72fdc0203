import type { IpcRendererEvent } from 'electron';
import type { EventChannel, EventPayloads, HoistApi, Unsubscribe } from '../../shared/ipc-contract.ts';

/** The part of ipcRenderer the API uses; tests pass an in-memory one. */
export interface IpcRendererLike {
  invoke(channel: string, request: object): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEvent, payload: unknown) => void): unknown;
}

export interface WebUtilsLike {
  getPathForFile(file: File): string;
}

/**
 * `window.hoist`: one method per channel, each sending exactly one object; subscriptions return
 * their unsubscribe. Nothing generic (no send/invoke by name) crosses the bridge.
 */
export function createHoistApi(ipc: IpcRendererLike, webUtils: WebUtilsLike) {
  const invoke = <T>(channel: string, request: object = {}): Promise<T> => ipc.invoke(channel, request) as Promise<T>;
  const pathOf = (file: File): string => {
    try {
      return webUtils.getPathForFile(file);
    } catch {
      return ''; // not a File at all
    }
  };
  const subscribe =
    <C extends EventChannel>(channel: C) =>
    (listener: (payload: EventPayloads[C]) => void): Unsubscribe => {
      const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload as EventPayloads[C]);
      ipc.on(channel, wrapped);
      return () => void ipc.removeListener(channel, wrapped);
    };
  return {
    listJobs: () => invoke('jobs:list'),
    getParts: ({ jobId }) => invoke('jobs:parts', { jobId }),
    addFiles: ({ fileIds }) => invoke('jobs:add', { fileIds }),
    registerDroppedFiles: async (files) => {
      // Only a File the OS dropped (or a file input gave) has a path; one page script built has
      // none, so page script cannot name a file this way.
      const paths = (Array.isArray(files) ? files : []).map(pathOf).filter((path) => path.length > 0);
      return paths.length > 0 ? invoke('drops:register', { paths }) : { files: [] };
    },
    addFilesFromDialog: ({ pick } = {}) => invoke('jobs:add-from-dialog', pick ? { pick } : {}),
    pauseJob: ({ jobId }) => invoke('job:pause', { jobId }),
    resumeJob: ({ jobId }) => invoke('job:resume', { jobId }),
    cancelJob: ({ jobId }) => invoke('job:cancel', { jobId }),
    retryJob: ({ jobId }) => invoke('job:retry', { jobId }),
    removeJob: ({ jobId }) => invoke('job:remove', { jobId }),
    revealJob: ({ jobId }) => invoke('job:reveal', { jobId }),
    resolveNameConflict: ({ jobId, choice }) => invoke('job:resolve-name-conflict', { jobId, choice }),
    pauseAll: () => invoke('jobs:pause-all'),
    resumeAll: () => invoke('jobs:resume-all'),
    retryFailed: () => invoke('jobs:retry-failed'),
    clearFinished: () => invoke('jobs:clear-finished'),
    listFolder: ({ folderId }) => invoke('folders:list', { folderId }),
    getSettings: () => invoke('settings:get'),
    updateSettings: (patch) => invoke('settings:update', patch),
    signIn: ({ apiBaseUrl, uploadBaseUrl }) => invoke('account:sign-in', { apiBaseUrl, uploadBaseUrl }),
    cancelSignIn: () => invoke('account:cancel-sign-in'),
    signOut: () => invoke('account:sign-out'),
    setBoxApp: ({ app }) =>
      invoke('account:set-app', { app: app ? { clientId: app.clientId, clientSecret: app.clientSecret } : null }),
    getAppInfo: () => invoke('app:info'),
    onJobsUpdated: subscribe('jobs:updated'),
    onSettingsChanged: subscribe('settings:changed'),
    onNotice: subscribe('app:notice'),
    onCommand: subscribe('app:command'),
    listHistory: ({ query } = {}) => invoke('history:list', query === undefined ? {} : { query }),
    clearHistory: () => invoke('history:clear'),
    openOnBox: ({ id }) => invoke('upload:open-on-box', { id }),
    copySharedLink: ({ id }) => invoke('upload:copy-link', { id }),
    onHistoryChanged: subscribe('history:changed'),
    getUpdate: () => invoke('update:get'),
    restartToUpdate: () => invoke('update:restart'),
    onUpdateChanged: subscribe('update:changed'),
  } satisfies HoistApi;
}
