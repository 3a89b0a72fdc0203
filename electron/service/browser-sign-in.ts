import { BoxClient, type BoxClientOptions } from '../box/box-client.ts';
import { startBrowserSignIn } from '../box/oauth/loopback-sign-in.ts';
import { oauthEndpointsFor } from '../box/oauth/oauth-endpoints.ts';
import type { StoredSignIn } from '../box/oauth/token-store.ts';
import { FixedTokenSource } from '../box/token-source.ts';
import type { AccountView } from '../../shared/settings-model.ts';
import type { BoxApps } from './box-apps.ts';
import { originsOf, type ServerUrls } from './credential-keys.ts';
import { accountView } from './server-account.ts';
import { ServiceError } from './service-error.ts';

/** The port through which the service opens the system browser: shell.openExternal in the app. */
export type OpenInBrowser = (url: string) => Promise<void> | void;

/** Box's authorize page may take a person a while (a password manager, two-factor). */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/** A finished browser sign-in, to be kept for its server (TargetAccounts.signIn). */
export interface SignInResult {
  signIn: StoredSignIn;
  /** The Box app that made it: its refresh token works only with that app. */
  clientId: string;
  account: AccountView | undefined;
}

/**
 * Sign-in in the system browser (RFC 8252): a loopback listener on 127.0.0.1 for exactly one
 * redirect with a fresh random state (electron/box/oauth), the browser opened at the authorize
 * URL, the code exchanged, then the server asked who signed in. One sign-in at a time: starting
 * another cancels the one waiting.
 */
export class BrowserSignIns {
  readonly #apps: BoxApps;
  readonly #openInBrowser: OpenInBrowser | undefined;
  readonly #timeoutMs: number;
  #cancelPending: (() => void) | undefined;

  constructor(apps: BoxApps, openInBrowser: OpenInBrowser | undefined, timeoutMs = SIGN_IN_TIMEOUT_MS) {
    this.#apps = apps;
    this.#openInBrowser = openInBrowser;
    this.#timeoutMs = timeoutMs;
  }

  /** Whether a sign-in to this server could start at all (a Box app it may receive, a browser); a sentence when not. */
  problem(server: ServerUrls): string | undefined {
    const missing = this.#apps.missingFor(server.apiBaseUrl);
    if (missing) return missing;
    if (!this.#openInBrowser) return 'Hoist cannot open a browser here, so it cannot sign in.';
    return undefined;
  }

  async run(server: ServerUrls, clientOptions: BoxClientOptions = {}): Promise<SignInResult> {
    const problem = this.problem(server);
    if (problem) throw new ServiceError(problem);
    const app = this.#apps.forSignIn(server.apiBaseUrl)!;
    const host = new URL(server.apiBaseUrl).host;
    this.cancel();
    const flow = await startBrowserSignIn({
      endpoints: oauthEndpointsFor(server.apiBaseUrl),
      app,
      timeoutMs: this.#timeoutMs,
      send: clientOptions.send,
    });
    const cancel = (): void => flow.cancel();
    this.#cancelPending = cancel;
    try {
      try {
        await this.#openInBrowser!(flow.authorizeUrl);
      } catch (error) {
        flow.cancel();
        throw new ServiceError(`Hoist could not open your browser to sign in (${(error as Error).message}).`);
      }
      const tokens = await flow.tokens.catch((error: Error) => {
        throw new ServiceError(`Sign-in to ${host} did not finish: ${error.message}.`);
      });
      const { apiOrigin, uploadOrigin } = originsOf(server);
      // Who signed in: shown in Settings; a server that cannot say still leaves the person signed in.
      const probe = new BoxClient(server, new FixedTokenSource(tokens.accessToken), clientOptions);
      const user = await probe.getCurrentUser().catch(() => undefined);
      return {
        signIn: {
          ...tokens,
          apiOrigin,
          uploadOrigin,
          ...(user ? { login: user.login, name: user.name } : {}),
        },
        clientId: app.clientId,
        account: user ? accountView(user) : undefined,
      };
    } finally {
      if (this.#cancelPending === cancel) this.#cancelPending = undefined;
    }
  }

  /** Stops the sign-in waiting for the browser, if any; its caller gets "did not finish". */
  cancel(): void {
    this.#cancelPending?.();
    this.#cancelPending = undefined;
  }
}
