import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright';
import { API_METHODS } from '../../shared/ipc-contract.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/content-security.ts';
import { createIpcHandlers } from '../../electron/service/ipc-handlers.ts';
import { developerTokenKey } from '../../electron/service/credential-keys.ts';
import {
  memoryStoresFor,
  MemoryKeyValueStore,
  MemorySecretStore,
  SettingsStore,
} from '../../electron/service/settings-store.ts';
import { UploadService } from '../../electron/service/upload-service.ts';
import type { LocalboxHandle } from '../../electron/localbox/localbox.ts';
import type { EmbeddedLocalboxOptions } from '../../electron/service/service-target.ts';
import { serveDirectory } from './static-server.ts';
import { findChromium, NO_CHROMIUM } from './find-chromium.ts';
import { tempDir } from './temp-dir.ts';

/** What the bridge adds to the page's globals (the page runs DOM code; this process has no DOM types). */
interface PageGlobals {
  __hoistEmit(channel: string, payload: unknown): void;
  __hoistOsDrop(paths: string[]): unknown;
}

export const RENDERER_DIR = fileURLToPath(new URL('../../build/dist/renderer', import.meta.url));
export const CHROMIUM = findChromium();

/** Launch flags for Debian's Chromium on a closed network (../shared/toolchain.md section 8). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium as the UI tests run it (a page of localbox's, or the app's renderer). */
export function launchBrowser(): Promise<Browser> {
  if (CHROMIUM === undefined) throw new Error(NO_CHROMIUM);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(join(RENDERER_DIR, 'index.html')))
    throw new Error('build the renderer first: npm run build:renderer');
  return launchBrowser();
}

/**
 * window.hoist in the page: the HoistApi's methods, each forwarded to the test process through
 * one exposed binding, and events delivered back with window.__hoistEmit. It plays the part of
 * the preload; everything behind it (validation, service, engine, localbox) is real.
 */
function bridgeScript(methods: Record<string, string>): string {
  return `(() => {
    const methods = ${JSON.stringify(methods)};
    const listeners = {};
    const api = {};
    for (const [method, channel] of Object.entries(methods)) {
      if (method.startsWith('on')) {
        api[method] = (listener) => {
          (listeners[channel] ??= new Set()).add(listener);
          return () => listeners[channel].delete(listener);
        };
      } else {
        api[method] = async (request = {}) => {
          const result = await window.__hoistInvoke(channel, request);
          if (!result.ok) throw new Error(result.message);
          return result.value;
        };
      }
    }
    // The test's stand-in for the OS and webUtils.getPathForFile: only File objects made by
    // __hoistOsDrop (what dropFiles drops) have a path; a File page script builds has none.
    const osPaths = new WeakMap();
    window.__hoistOsDrop = (paths) => {
      const data = new DataTransfer();
      for (const path of paths) {
        const file = new File(['x'], path.split('/').pop());
        osPaths.set(file, path);
        data.items.add(file);
      }
      return data;
    };
    api.registerDroppedFiles = async (files) => {
      const paths = Array.from(files ?? [], (file) => osPaths.get(file) ?? '').filter((path) => path.length > 0);
      if (paths.length === 0) return { files: [] };
      const result = await window.__hoistInvoke('drops:register', { paths });
      if (!result.ok) throw new Error(result.message);
      return result.value;
    };
    window.__hoistEmit = (channel, payload) => { for (const listener of listeners[channel] ?? []) listener(payload); };
    window.hoist = Object.freeze(api);
  })();`;
}

/** Where cleanups go: a node:test context, or the screenshot script's own list. */
export interface Cleanup {
  after(cleanup: () => unknown): void;
}

export interface UiOptions {
  /** Upload to this localbox as a custom server; omitted: the embedded localbox (the default). */
  localbox?: LocalboxHandle;
  /** With `localbox`: its server is the target, but no sign-in or token is stored for it. */
  signedOut?: boolean;
  /** Shaping for the embedded localbox. */
  embedded?: EmbeddedLocalboxOptions;
  colorScheme?: 'light' | 'dark';
  parallel?: number;
  /** The Box app sign-in uses (as if built in); omitted: none, so Settings says what is missing. */
  boxApp?: { clientId: string; clientSecret: string };
}

export interface Ui {
  page: Page;
  service: UploadService;
  stateDir: string;
  /** Paths the next "Add files..." or "Add folder..." dialog will return. */
  dialogPaths: string[];
  /** What each dialog opened was for, in order. */
  dialogPicks: Array<'files' | 'folders'>;
  revealed: string[];
  /** URLs the service asked to open in the system browser (main would call shell.openExternal). */
  openedInBrowser: string[];
  /** What was copied to the clipboard, in order (main would call clipboard.writeText). */
  clipboard: string[];
  /** The servers (API and upload URL) main asked the person about before a change of server, in order. */
  serverChangeQuestions: Array<{ apiBaseUrl: string; uploadBaseUrl: string }>;
  /** The person's answer to the next such question (yes unless a test says otherwise). */
  serverChangeAnswer: boolean;
  /** What main asked before a credential was replaced: a server's host, or 'box app'. */
  credentialChangeQuestions: string[];
  /** The person's answer to those (yes unless a test says otherwise). */
  credentialChangeAnswer: boolean;
}

/** The built renderer in Chromium, talking to a real UploadService through the bridge. */
export async function openUi(t: Cleanup, browser: Browser, options: UiOptions = {}): Promise<Ui> {
  const stateDir = await tempDir(t, 'hoist-ui-');
  const { settings, secrets } = options.localbox
    ? memoryStoresFor(options.localbox)
    : { settings: new SettingsStore(new MemoryKeyValueStore()), secrets: new MemorySecretStore() };
  if (options.signedOut && options.localbox)
    secrets.deleteSecret(
      developerTokenKey({ apiBaseUrl: options.localbox.url, uploadBaseUrl: `${options.localbox.url}/api` }),
    );
  if (options.parallel) settings.write({ parallel: options.parallel });
  const service = await UploadService.start({
    stateDir,
    settings,
    secrets,
    updateIntervalMs: 100,
    ...(options.embedded ? { embeddedLocalbox: options.embedded } : {}),
    builtInBoxApp: options.boxApp,
    openInBrowser: (url) => void ui.openedInBrowser.push(url),
  });
  const ui: Ui = {
    page: undefined as unknown as Page,
    service,
    stateDir,
    dialogPaths: [],
    dialogPicks: [],
    revealed: [],
    openedInBrowser: [],
    clipboard: [],
    serverChangeQuestions: [],
    serverChangeAnswer: true,
    credentialChangeQuestions: [],
    credentialChangeAnswer: true,
  };
  const handlers = createIpcHandlers(service, {
    chooseFiles: async (pick) => {
      ui.dialogPicks.push(pick);
      return ui.dialogPaths.splice(0);
    },
    showItemInFolder: (path) => void ui.revealed.push(path),
    confirmServerChange: async (target) => {
      ui.serverChangeQuestions.push(target);
      return ui.serverChangeAnswer;
    },
    confirmCredentialChange: async (serverHost) => {
      ui.credentialChangeQuestions.push(serverHost);
      return ui.credentialChangeAnswer;
    },
    confirmBoxAppChange: async () => {
      ui.credentialChangeQuestions.push('box app');
      return ui.credentialChangeAnswer;
    },
    appInfo: () => ({ version: 'test', platform: process.platform }),
    openExternal: async (url) => void ui.openedInBrowser.push(url),
    writeClipboard: (text) => void ui.clipboard.push(text),
  });
  const server = await serveDirectory(RENDERER_DIR, CONTENT_SECURITY_POLICY);
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: 1200, height: 800 },
  });
  const page = await context.newPage();
  ui.page = page;
  await page.exposeBinding('__hoistInvoke', async (_source, channel: string, request: unknown) => {
    try {
      return { ok: true, value: await handlers[channel as keyof typeof handlers](request) };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  });
  await page.addInitScript(bridgeScript(API_METHODS));
  const forward = (channel: string) => (payload: unknown) =>
    void page
      .evaluate(([name, data]) => (globalThis as unknown as PageGlobals).__hoistEmit(name, data), [
        channel,
        payload,
      ] as const)
      .catch(() => undefined);
  service.on('update', forward('jobs:updated'));
  service.on('settings', forward('settings:changed'));
  service.on('notice', forward('app:notice'));
  service.on('history', () => forward('history:changed')({}));
  t.after(async () => {
    service.removeAllListeners();
    await context.close();
    await service.shutdown();
    await server.close();
  });
  await page.goto(`${server.url}/index.html`);
  return ui;
}

/** Makes the page's drop handler see `paths` dropped on the window, as a person dragging files would. */
export async function dropFiles(page: Page, paths: string[]): Promise<void> {
  const transfer = await page.evaluateHandle(
    (dropped) => (globalThis as unknown as PageGlobals).__hoistOsDrop(dropped),
    paths,
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
}

/** Waits until a job row's state label reads `state` ("Done", "Paused"...). */
export function waitForState(row: Locator, state: string, options: { timeout?: number } = {}): Promise<void> {
  return row
    .locator('.job-state', { hasText: new RegExp(`^${state}$`) })
    .waitFor({ timeout: options.timeout ?? 20_000 });
}

/** Polls an attribute until it matches (the page's own state, read through Playwright). */
export async function waitForAttribute(
  locator: Locator,
  name: string,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = (await locator.getAttribute(name).catch(() => null)) ?? '';
    if (pattern.test(value)) return value;
    if (Date.now() > deadline) throw new Error(`${name} stayed "${value}", never matched ${pattern}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
