import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import open from 'open';
import { BoxClient } from '../box/box-client.ts';
import { BoxApiError } from '../box/box-error.ts';
import { bundledBoxApp } from '../box/oauth/bundled-app.ts';
import { FileTokenStore, signInFileFor } from '../box/oauth/file-token-store.ts';
import { startBrowserSignIn } from '../box/oauth/loopback-sign-in.ts';
import { clientCredentials, type OAuthApp, type TokenSet } from '../box/oauth/oauth-client.ts';
import { isBoxApi, oauthEndpointsFor } from '../box/oauth/oauth-endpoints.ts';
import type { StoredSignIn } from '../box/oauth/token-store.ts';
import { FixedTokenSource } from '../box/token-source.ts';
import { printable } from '../../shared/printable.ts';
import { appFrom, checkUrl, serverUrls, type ServerUrls } from './cli-sign-in.ts';
import { defaultStateDir } from './state-dir.ts';
import { CliError, UsageError, wholeNumberFlag } from './usage-error.ts';

export const LOGIN_USAGE = `hoist login [--api-url URL] [--upload-url URL] [--auth-url URL] [--client-id ID]
             [--client-secret S] [--no-browser] [--json] [--state-dir DIR] [--timeout SECONDS]
             [--client-credentials (--enterprise-id ID | --user-id ID)]`;

/** How long the browser has to come back: a person may need to find a password. */
const DEFAULT_SIGN_IN_TIMEOUT_S = 5 * 60;

const say = (json: boolean | undefined, event: Record<string, unknown>, text: string): void => {
  process.stdout.write(json ? `${JSON.stringify(event)}\n` : `${text}\n`);
};

/** Who signed in (login, name): /users/me with the new token; a server without it leaves them out. */
async function whoSignedIn(urls: ServerUrls, accessToken: string): Promise<{ login?: string; name?: string }> {
  const client = new BoxClient({ apiBaseUrl: urls.api, uploadBaseUrl: urls.upload }, new FixedTokenSource(accessToken));
  try {
    const account = await client.getCurrentUser();
    return { login: account.login, name: account.name };
  } catch (error) {
    if (error instanceof BoxApiError && error.status === 404) return {};
    throw new CliError(`signed in, but ${new URL(urls.api).host} did not say who: ${(error as Error).message}`);
  }
}

async function browserTokens(
  urls: ServerUrls,
  app: OAuthApp,
  authUrl: string | undefined,
  options: { noBrowser: boolean; json: boolean | undefined; timeoutS: number },
): Promise<TokenSet> {
  const signIn = await startBrowserSignIn({
    endpoints: oauthEndpointsFor(urls.api, authUrl),
    app,
    timeoutMs: options.timeoutS * 1000,
  });
  say(
    options.json,
    { event: 'authorize', url: signIn.authorizeUrl },
    `Sign in to ${new URL(urls.api).host} in your browser at:\n  ${signIn.authorizeUrl}`,
  );
  if (!options.noBrowser) {
    await open(signIn.authorizeUrl).catch(() => {
      process.stderr.write('hoist: could not open a browser; open the URL above yourself\n');
    });
  }
  const cancel = (): void => signIn.cancel();
  process.once('SIGINT', cancel);
  try {
    return await signIn.tokens;
  } catch (error) {
    throw new CliError(`sign-in to ${urls.api} failed: ${(error as Error).message}`);
  } finally {
    process.off('SIGINT', cancel);
  }
}

/**
 * `hoist login`: OAuth 2.0 in the system browser with a loopback redirect (RFC 8252), or Box's
 * client credentials grant for servers and CI. The tokens go to the state directory, one file per
 * API origin (mode 0600), never to the screen.
 */
export async function loginCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      'api-url': { type: 'string' },
      'upload-url': { type: 'string' },
      'auth-url': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'no-browser': { type: 'boolean' },
      json: { type: 'boolean' },
      'state-dir': { type: 'string' },
      timeout: { type: 'string' },
      'client-credentials': { type: 'boolean' },
      'enterprise-id': { type: 'string' },
      'user-id': { type: 'string' },
    },
  });
  const urls = serverUrls(values);
  const authUrl = values['auth-url'] === undefined ? undefined : checkUrl('auth-url', values['auth-url']);
  const stateDir = resolve(values['state-dir'] ?? defaultStateDir());
  const app = appFrom(values, process.env, isBoxApi(urls.api) ? bundledBoxApp() : undefined, urls.api);
  const timeoutS = wholeNumberFlag('timeout', values.timeout, { min: 1 }) ?? DEFAULT_SIGN_IN_TIMEOUT_S;

  let subject: { type: 'enterprise' | 'user'; id: string } | undefined;
  if (values['client-credentials']) {
    const enterprise = values['enterprise-id'];
    const user = values['user-id'];
    if ((enterprise === undefined) === (user === undefined)) {
      throw new UsageError('--client-credentials needs exactly one of --enterprise-id ID or --user-id ID');
    }
    subject = enterprise !== undefined ? { type: 'enterprise', id: enterprise } : { type: 'user', id: user! };
  } else if (values['enterprise-id'] !== undefined || values['user-id'] !== undefined) {
    throw new UsageError('--enterprise-id and --user-id go with --client-credentials');
  }

  const tokens = subject
    ? await clientCredentials(oauthEndpointsFor(urls.api, authUrl), app, subject).catch((error: Error) => {
        throw new CliError(`sign-in to ${urls.api} failed: ${error.message}`);
      })
    : await browserTokens(urls, app, authUrl, {
        noBrowser: values['no-browser'] ?? false,
        json: values.json,
        timeoutS,
      });

  const who = await whoSignedIn(urls, tokens.accessToken);
  const signIn: StoredSignIn = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAtMs: tokens.expiresAtMs,
    issuedAtMs: Date.now(),
    apiOrigin: new URL(urls.api).origin,
    uploadOrigin: new URL(urls.upload).origin,
    ...who,
  };
  const store = new FileTokenStore(signInFileFor(stateDir, signIn.apiOrigin), {
    app,
    ...(subject ? { clientCredentialsSubject: subject } : {}),
  });
  await store.save(signIn).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`signed in, but the sign-in could not be saved in ${store.path}: ${error.message}`);
  });
  // The name and login are the server's words: a control character in them must not reach the terminal.
  const as =
    who.name || who.login ? ` as ${printable(who.name ?? '')}${who.login ? ` (${printable(who.login)})` : ''}` : '';
  say(
    values.json,
    { event: 'signed-in', login: who.login ?? null, name: who.name ?? null },
    `Signed in to ${new URL(urls.api).host}${as}.`,
  );
  return 0;
}
