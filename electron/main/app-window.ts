import { app, BrowserWindow, screen, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyValueStore } from '../service/settings-store.ts';
import { isExternalWebLink } from './content-security.ts';
import { APP_ORIGIN } from './ipc-registry.ts';
import { DEFAULT_BOUNDS, MIN_SIZE, restorableBounds } from './window-state.ts';

/** Locks the session down: no permission is ever granted to web content. */
export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/**
/**
 * The window icon on Linux and Windows (macOS takes the app bundle's): shipped in resources/ by
 * electron-builder, rendered into build/resources/ by `npm start` and `npm run dist` in a checkout.
 */
function windowIcon(): { icon: string } | Record<string, never> {
  const icon = app.isPackaged
    ? join(process.resourcesPath, 'icon.png')
    : join(app.getAppPath(), 'build', 'resources', 'icon.png');
  return process.platform !== 'darwin' && existsSync(icon) ? { icon } : {};
}

/**
 * The one place Hoist opens the person's browser: links from the page, and Box's sign-in page
 * (RFC 8252: sign-in happens in the system browser, never in a window of Hoist's). Only http(s).
 */
export function openInSystemBrowser(url: string): Promise<void> {
  return isExternalWebLink(url) ? shell.openExternal(url) : Promise.reject(new Error('not a web address'));
}

/** The main window: sandboxed, isolated, no Node, no navigation, no new windows. */
export function createMainWindow(preloadDir: string, store: KeyValueStore): BrowserWindow {
  const bounds = restorableBounds(
    store.get('windowBounds'),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...(bounds ?? DEFAULT_BOUNDS),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Hoist',
    ...windowIcon(),
    show: false,
    webPreferences: {
      preload: join(preloadDir, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would otherwise try to open links in new windows.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (store.get('windowMaximized') === true) window.maximize();
  window.once('ready-to-show', () => window.show());
  const remember = (): void => {
    if (window.isDestroyed()) return;
    store.set('windowMaximized', window.isMaximized());
    if (!window.isMaximized() && !window.isMinimized()) store.set('windowBounds', window.getBounds());
  };
  window.on('resize', remember);
  window.on('move', remember);
  window.on('close', remember);

  const contents = window.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No new windows, and no browser either: the page has no links out (share and "Open on Box" go
  // through main, which checks the address), and a URL opened for a page could carry data out.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
