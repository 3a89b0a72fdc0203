import type { OAuthApp } from '../box/oauth/oauth-client.ts';
import { isIssuedByBox } from '../box/token-origins.ts';
import type { SignInAvailability } from '../../shared/settings-model.ts';
import { OWN_BOX_APP_KEY } from './credential-keys.ts';
import { readSecretJson, type SecretStore } from './settings-store.ts';

/** Why sign-in is unavailable when neither a built-in nor the person's own Box app is set, and what to do instead. */
export const NO_BOX_APP =
  'Sign-in needs a Box app, and this copy of Hoist was built without one: enter your own under “Use your own Box app” (a client ID and secret from Box’s developer console), or paste an access token under Advanced.';

/**
 * Why sign-in to a server other than Box cannot use the person's own Box app: its secret is Box's
 * to receive, and sending it to another server's /oauth2/token would hand it to that server.
 */
export const ownAppIsForBox = (host?: string): string =>
  `Your own Box app is used only to sign in to Box (api.box.com), so its secret is never sent to ${host ?? 'another server'}, and this copy of Hoist has no built-in app for other servers: paste an access token${host ? ` for ${host}` : ''} under Advanced.`;

/** Whether a server is Box itself (https://api.box.com): the one server the person's own Box app is for. */
export const isBoxServer = (apiBaseUrl: string): boolean => isIssuedByBox([apiBaseUrl]);

const isApp = (value: unknown): value is OAuthApp =>
  typeof (value as Partial<OAuthApp> | undefined)?.clientId === 'string' &&
  typeof (value as Partial<OAuthApp>).clientSecret === 'string';

/**
 * The Box apps sign-in can use: the one built in by whoever distributed Hoist, and the person's own
 * (kept sealed, like tokens). The person's own is for Box only, and wins there when both exist:
 * a person enters a Box app's client ID and secret from Box's developer console, so another server
 * (a custom or staging one) never receives that secret, at sign-in or at any refresh. Another
 * server gets the built-in app, whose secret ships in the app anyway (box-api.md section 12).
 */
export class BoxApps {
  readonly #secrets: SecretStore;
  readonly #builtIn: OAuthApp | undefined;

  constructor(secrets: SecretStore, builtIn: OAuthApp | undefined) {
    this.#secrets = secrets;
    this.#builtIn = builtIn;
  }

  own(): OAuthApp | undefined {
    return readSecretJson(this.#secrets, OWN_BOX_APP_KEY, isApp);
  }

  setOwn(app: OAuthApp | null): void {
    if (app) this.#secrets.setSecret(OWN_BOX_APP_KEY, JSON.stringify(app));
    else this.#secrets.deleteSecret(OWN_BOX_APP_KEY);
  }

  /** The apps this server may receive: the person's own only when it is Box. */
  #forServer(apiBaseUrl: string): Array<OAuthApp | undefined> {
    return isBoxServer(apiBaseUrl) ? [this.own(), this.#builtIn] : [this.#builtIn];
  }

  /** The app a new sign-in to this server uses. */
  forSignIn(apiBaseUrl: string): OAuthApp | undefined {
    return this.#forServer(apiBaseUrl).find((app) => app !== undefined);
  }

  /**
   * The app a stored sign-in to this server was made with (its refresh token works only with that
   * app), if this server may receive it: a sign-in another server got with the person's own app
   * (before it was kept for Box) is not refreshed with it.
   */
  byClientId(clientId: string, apiBaseUrl: string): OAuthApp | undefined {
    return this.#forServer(apiBaseUrl).find((app) => app?.clientId === clientId);
  }

  /** Why a sign-in to this server cannot start for want of an app; undefined when it can. */
  missingFor(apiBaseUrl: string): string | undefined {
    if (this.forSignIn(apiBaseUrl)) return undefined;
    return this.own() ? ownAppIsForBox(new URL(apiBaseUrl).host) : NO_BOX_APP;
  }

  /** Whether Settings offers a sign-in to Box, and with which app. */
  availability(): SignInAvailability {
    const own = this.own();
    if (own) return { ready: true, app: 'own' };
    if (this.#builtIn) return { ready: true, app: 'built-in' };
    return { ready: false, missing: NO_BOX_APP };
  }

  /** Whether Settings offers a sign-in to a server other than Box: never with the person's own app. */
  availabilityElsewhere(): SignInAvailability {
    if (this.#builtIn) return { ready: true, app: 'built-in' };
    return { ready: false, missing: this.own() ? ownAppIsForBox() : NO_BOX_APP };
  }
}
