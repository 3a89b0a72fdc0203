import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import type { HttpSend } from '../http-transport.ts';
import { authorizeUrl as buildAuthorizeUrl, exchangeCode, type OAuthApp, type TokenSet } from './oauth-client.ts';
import type { OAuthEndpoints } from './oauth-endpoints.ts';

export interface BrowserSignIn {
  /** The URL to open in the system browser (already contains a fresh random state). */
  authorizeUrl: string;
  /** Resolves after exactly one redirect with the right state and a successful code exchange. */
  tokens: Promise<TokenSet>;
  cancel(): void;
}

/** The sign-in did not finish: the person denied it, it timed out, or it was canceled. */
export class SignInFailedError extends Error {
  readonly reason: 'denied' | 'timeout' | 'canceled' | 'exchange';
  constructor(reason: SignInFailedError['reason'], message: string) {
    super(message);
    this.name = 'SignInFailedError';
    this.reason = reason;
  }
}

const CALLBACK_PATH = '/callback';

function page(response: ServerResponse, status: number, sentence: string): void {
  // A plain page, no script: it only tells the person where to look next.
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hoist</title></head><body><p>${sentence}</p></body></html>`;
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'",
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  });
  response.end(body);
}

/**
 * Listens on 127.0.0.1 (ephemeral port) for one redirect; answers the browser with a plain page
 * ("Signed in. You can close this tab and return to Hoist." — no script); times out (timeoutMs).
 * RFC 8252: the redirect URI is http://127.0.0.1:{port}/callback. Box accepts it on any port when the
 * app has `http://127.0.0.1/callback` configured (scheme, host, path and query must match).
 */
export async function startBrowserSignIn(options: {
  endpoints: OAuthEndpoints;
  app: OAuthApp;
  timeoutMs: number;
  /** How the code exchange reaches the token server (the app's proxy settings); default: sendHttp. */
  send?: HttpSend | undefined;
}): Promise<BrowserSignIn> {
  const { endpoints, app, timeoutMs } = options;
  const state = oauth.generateRandomState();
  let settle: { resolve(tokens: TokenSet): void; reject(error: Error): void } | undefined;
  const tokens = new Promise<TokenSet>((resolve, reject) => {
    settle = { resolve, reject };
  });
  tokens.catch(() => undefined); // the caller may never look (a canceled sign-in)
  let handled = false;
  let redirectUri = '';

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH) return page(response, 404, 'Not found.');
    if (handled) return page(response, 409, 'This sign-in is already finished. You can close this tab.');
    if (url.searchParams.get('state') !== state) {
      // Not our redirect (an old tab, another site): ignore it and keep waiting for the right one.
      return page(response, 400, 'This sign-in link is out of date. Start the sign-in again from Hoist.');
    }
    handled = true;
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error !== null || code === null) {
      page(response, 200, 'Sign-in was not completed. You can close this tab and return to Hoist.');
      finish(() =>
        settle?.reject(
          new SignInFailedError(
            error === 'access_denied' ? 'denied' : 'exchange',
            error === 'access_denied'
              ? 'access to Box was denied in the browser'
              : `the sign-in page answered ${error ?? 'without a code'}`,
          ),
        ),
      );
      return;
    }
    exchangeCode(endpoints, app, code, redirectUri, options.send ? { send: options.send } : {}).then(
      (set) => {
        page(response, 200, 'Signed in. You can close this tab and return to Hoist.');
        finish(() => settle?.resolve(set));
      },
      (exchangeError: Error) => {
        page(response, 200, 'Sign-in failed. You can close this tab and return to Hoist.');
        finish(() => settle?.reject(new SignInFailedError('exchange', exchangeError.message)));
      },
    );
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  const timer: { id?: NodeJS.Timeout } = {};
  const finish = (outcome: () => void): void => {
    clearTimeout(timer.id);
    server.close();
    server.closeAllConnections?.();
    outcome();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  redirectUri = `http://127.0.0.1:${port}${CALLBACK_PATH}`;
  timer.id = setTimeout(() => {
    handled = true;
    const minutes = Math.round(timeoutMs / 60_000);
    const seconds = Math.round(timeoutMs / 1000);
    const span =
      minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${seconds} second${seconds === 1 ? '' : 's'}`;
    finish(() =>
      settle?.reject(
        new SignInFailedError('timeout', `no sign-in arrived from the browser within ${span}; run the sign-in again`),
      ),
    );
  }, timeoutMs);
  timer.id.unref?.();

  return {
    authorizeUrl: buildAuthorizeUrl(endpoints, app, redirectUri, state),
    tokens,
    cancel() {
      if (handled) return;
      handled = true;
      finish(() => settle?.reject(new SignInFailedError('canceled', 'the sign-in was canceled')));
    },
  };
}
