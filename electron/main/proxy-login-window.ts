import { BrowserWindow } from 'electron';
import type { ProxyLogin } from '../service/app-network.ts';

/** Where the form "submits": never loaded, only read in will-navigate (an .invalid name resolves nowhere). */
const ANSWER_URL = 'https://hoist-proxy-login.invalid/answer';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(proxy: string, refused: boolean): string {
  const why = refused
    ? `The proxy ${escapeHtml(proxy)} refused the user name and password given. Enter them again.`
    : `Uploads to Box go through the proxy ${escapeHtml(proxy)}, which asks for a user name and password.`;
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action ${ANSWER_URL}">
<title>Proxy sign-in</title>
<style>
  :root { color-scheme: light dark; font: 13px system-ui, sans-serif; }
  body { margin: 16px; } p { margin: 0 0 12px; } label { display: block; margin: 8px 0 2px; }
  input { width: 100%; box-sizing: border-box; padding: 4px; } .buttons { margin-top: 14px; text-align: right; }
  button { margin-left: 8px; padding: 4px 14px; }
</style></head><body>
<form method="get" action="${ANSWER_URL}">
  <p>${why}</p>
  <label for="username">User name</label><input id="username" name="username" autocomplete="username" autofocus required>
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
  <p>Hoist keeps them encrypted and sends them to this proxy only.</p>
  <div class="buttons"><button type="submit" name="cancel" value="1" formnovalidate>Cancel</button><button type="submit">Sign in to the proxy</button></div>
</form></body></html>`;
}

/**
 * Asks the person for a proxy's user name and password in a small modal window. Native dialogs
 * take no text, so this is a page of its own: no script at all (javascript off), no preload, no
 * IPC; the form's GET "navigation" is read in will-navigate and stopped, so the password never
 * leaves this process. Closing the window is Cancel.
 */
export function askProxyLoginInWindow(
  parent: BrowserWindow | undefined,
  question: { proxy: string; refused: boolean },
): Promise<ProxyLogin | undefined> {
  return new Promise((resolve) => {
    const window = new BrowserWindow({
      ...(parent ? { parent, modal: true } : {}),
      width: 440,
      height: 290,
      resizable: false,
      minimizable: false,
      maximizable: false,
      title: 'Proxy sign-in',
      show: false,
      webPreferences: {
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        javascript: false,
        webSecurity: true,
        spellcheck: false,
        navigateOnDragDrop: false,
        // Middle-click would otherwise try to open links in new windows.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    let answer: ProxyLogin | undefined;
    const contents = window.webContents;
    contents.on('will-navigate', (event, url) => {
      event.preventDefault();
      const parsed = URL.canParse(url) ? new URL(url) : undefined;
      if (parsed && `${parsed.origin}${parsed.pathname}` === ANSWER_URL && !parsed.searchParams.has('cancel')) {
        const username = parsed.searchParams.get('username') ?? '';
        if (username) answer = { username, password: parsed.searchParams.get('password') ?? '' };
      }
      window.close();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => resolve(answer));
    void window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(page(question.proxy, question.refused))}`);
  });
}
