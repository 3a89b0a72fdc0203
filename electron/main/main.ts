// Hoist's Electron main process: lifecycle, window, menu, IPC. The work is in UploadService.
import { app, BrowserWindow, clipboard, dialog, Menu, session, shell } from 'electron';
import { isBoxWebUrl, loopbackOrigin } from '../../shared/box-urls.ts';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addSha1AddonPath } from '../engine/index.ts';
import { createIpcHandlers } from '../service/ipc-handlers.ts';
import { RotatingLog } from '../service/rotating-log.ts';
import { SealedSecretStore } from '../service/sealed-secret-store.ts';
import { SettingsStore } from '../service/settings-store.ts';
import { UploadService } from '../service/upload-service.ts';
import { openSettingsStore, safeStorageSealer } from './app-settings.ts';
import { builtInBoxApp } from './built-in-box-app.ts';
import { registerAppScheme, serveRenderer } from './app-protocol.ts';
import { createMainWindow, hardenSession, openInSystemBrowser } from './app-window.ts';
import { integrateWithDesktop } from './desktop-integration.ts';
import { closeElectronStoreChannel, registerIpcHandlers } from './ipc-main.ts';
import { filesFromArgv } from './launch-files.ts';
import { menuTemplate } from './menu-template.ts';
import { confirmQuit } from './quit-guard.ts';
import { askProxyLoginInWindow } from './proxy-login-window.ts';
import { startUpdates } from './auto-update.ts';
import { NoticeOutbox } from '../service/notice-outbox.ts';
import { rejectionNotices } from '../../shared/rejection-notices.ts';
import type { EventChannel, EventPayloads } from '../../shared/ipc-contract.ts';

const here = dirname(fileURLToPath(import.meta.url)); // build/dist/main in the bundle
const nativeAddon = app.isPackaged
  ? join(process.resourcesPath, 'native', 'hoist_sha1.node')
  : join(app.getAppPath(), 'electron', 'native', 'sha1', 'build', 'Release', 'hoist_sha1.node');
if (existsSync(nativeAddon)) addSha1AddonPath(nativeAddon);
if (process.env['HOIST_USER_DATA']) app.setPath('userData', process.env['HOIST_USER_DATA']);

registerAppScheme();
const pendingFiles: string[] = filesFromArgv(process.argv, process.cwd(), app.isPackaged);
const primary = app.requestSingleInstanceLock({ files: pendingFiles });

let window: BrowserWindow | undefined;
let service: UploadService | undefined;
let openWindow: (() => void) | undefined;
/** Notices main raises itself, held until the window has loaded. */
const notices = new NoticeOutbox();

/** Files the person named outside the window (command line, "open with", a second launch). */
function addFiles(paths: readonly string[]): void {
  if (paths.length === 0) return;
  if (!service) {
    pendingFiles.push(...paths);
    return;
  }
  service.addFiles(paths).then(
    (result) => rejectionNotices(result.rejected).forEach((notice) => notices.post(notice)),
    (error: unknown) =>
      notices.post({ level: 'error', message: `Hoist could not add files: ${(error as Error).message}` }),
  );
}

// A second launch hands over its files and focuses this window.
app.on('second-instance', (_event, argv, cwd) => {
  addFiles(filesFromArgv(argv, cwd, app.isPackaged));
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});
// macOS "Open with" and drops on the dock icon.
app.on('open-file', (event, path) => {
  event.preventDefault();
  addFiles([path]);
});
app.on('web-contents-created', (_event, contents) =>
  contents.on('will-attach-webview', (attach) => attach.preventDefault()),
);

/** A yes-or-no question in a native dialog; Cancel is the default. */
async function ask(question: { title: string; message: string; detail: string; yes: string }): Promise<boolean> {
  const options = {
    type: 'question' as const,
    title: question.title,
    message: question.message,
    detail: question.detail,
    buttons: [question.yes, 'Cancel'],
    defaultId: 1,
    cancelId: 1,
  };
  const answer = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  return answer.response === 0;
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const log = new RotatingLog(join(userData, 'logs'));
  const store = openSettingsStore();
  closeElectronStoreChannel();
  hardenSession();
  serveRenderer(join(here, '..', 'renderer'));
  service = await UploadService.start({
    stateDir: userData,
    settings: new SettingsStore(store),
    secrets: new SealedSecretStore(store, safeStorageSealer),
    logger: log,
    builtInBoxApp: builtInBoxApp(),
    openInBrowser: openInSystemBrowser,
    network: {
      // Chromium's answer for each URL: the system's proxy settings and PAC script, as the browser uses them.
      resolveProxy: (url) => session.defaultSession.resolveProxy(url),
      askProxyLogin: (question) => askProxyLoginInWindow(window, question),
    },
  });
  const running = service;
  log.info('started', { version: app.getVersion() });

  /** Main -> renderer events, each payload checked against the contract (shared/ipc-contract.ts). */
  const send = <C extends EventChannel>(channel: C, payload: EventPayloads[C]): void =>
    window?.webContents.send(channel, payload);
  const updates = await startUpdates(running).catch((error: unknown) => {
    log.warn('updates unavailable', { error: (error as Error).message });
    return undefined;
  });
  updates?.on('changed', (view) => send('update:changed', view));
  updates?.on('notice', (notice) => notices.post(notice));
  const handlers = createIpcHandlers(
    running,
    {
      chooseFiles: async (pick) => {
        const result = await dialog.showOpenDialog(window!, {
          title: pick === 'folders' ? 'Add folders to upload' : 'Add files to upload',
          properties: [pick === 'folders' ? 'openDirectory' : 'openFile', 'multiSelections'],
        });
        return result.canceled ? [] : result.filePaths;
      },
      showItemInFolder: (path) => shell.showItemInFolder(path),
      confirmServerChange: async (target) => {
        const host = new URL(target.apiBaseUrl).host;
        const uploadHost = new URL(target.uploadBaseUrl).host;
        const elsewhere = new URL(target.uploadBaseUrl).origin !== new URL(target.apiBaseUrl).origin;
        return ask({
          title: 'Change where Hoist uploads',
          message: `Upload to ${host}?`,
          detail: elsewhere
            ? `Files you add from now on will be sent to ${target.uploadBaseUrl}, and your sign-in for ${host} will be sent to ${uploadHost} with them. Say yes only if you trust ${uploadHost}.`
            : `Files you add from now on will be sent to ${target.apiBaseUrl}.`,
          yes: elsewhere ? `Upload to ${uploadHost}` : `Upload to ${host}`,
        });
      },
      confirmCredentialChange: (serverHost) =>
        ask({
          title: 'Change your sign-in',
          message: `Replace your sign-in for ${serverHost}?`,
          detail: `Hoist will stop using the sign-in or token it has for ${serverHost} and use the new token: files you add from now on may go to another account.`,
          yes: 'Use the new token',
        }),
      confirmBoxAppChange: () =>
        ask({
          title: 'Change your Box app',
          message: 'Replace your own Box app?',
          detail: 'Sign-ins from now on will use the new client ID and secret instead of the ones you entered before.',
          yes: 'Use the new app',
        }),
      appInfo: () => ({ version: app.getVersion(), platform: process.platform }),
      // Only Box's web app (https) and pages of a local Box on this machine; the service checked
      // the same, and main checks again before the OS opens anything.
      openExternal: (url) =>
        isBoxWebUrl(url, loopbackOrigin(url))
          ? shell.openExternal(url)
          : Promise.reject(new Error('Hoist opens only Box’s own pages')),
      writeClipboard: (text) => clipboard.writeText(text),
    },
    updates,
  );
  registerIpcHandlers(handlers);
  running.on('update', (update) => send('jobs:updated', update));
  running.on('settings', (settings) => send('settings:changed', settings));
  running.on('notice', (notice) => send('app:notice', notice));
  running.on('history', () => send('history:changed', {}));
  running.on('signed-in', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  for (const notice of running.takeStartupNotices()) notices.post(notice);
  integrateWithDesktop(running, () => window);

  app.setAboutPanelOptions({ applicationName: 'Hoist', applicationVersion: app.getVersion() });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(process.platform, {
        addFiles: () => send('app:command', { command: 'add-files' }),
        addFolder: () => send('app:command', { command: 'add-folder' }),
        openSettings: () => send('app:command', { command: 'open-settings' }),
        revealLogs: () => shell.showItemInFolder(log.path),
        about: () => app.showAboutPanel(),
      }),
    ),
  );
  openWindow = () => {
    window = createMainWindow(join(here, '..', 'preload'), store);
    window.webContents.on('did-finish-load', () => notices.open((notice) => send('app:notice', notice)));
    window.on('closed', () => {
      window = undefined;
      notices.close();
    });
  };
  openWindow();
  addFiles(pendingFiles.splice(0));
  confirmQuit(running, () => window);
}

if (!primary) {
  app.quit(); // the first instance got our files through 'second-instance'
} else {
  app.whenReady().then(start, (error: unknown) => {
    dialog.showErrorBox('Hoist could not start', (error as Error).message);
    app.exit(1);
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow?.();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
