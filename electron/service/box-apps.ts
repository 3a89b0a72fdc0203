import type { OAuthApp } from '../box/oauth/oauth-client.ts';
import type { SignInAvailability } from '../../shared/settings-model.ts';
import { OWN_BOX_APP_KEY } from './credential-keys.ts';
import { readSecretJson, type SecretStore } from './settings-store.ts';

/** Why sign-in is unavailable when neither a built-in nor the person's own Box app is set, and what to do instead. */
export const NO_BOX_APP =
  'Sign-in needs a Box app, and this copy of Hoist was built without one: enter your own under “Use your own Box app” (a client ID and secret from Box’s developer console), or paste an access token under Advanced.';

const isApp = (value: unknown): value is OAuthApp =>
  typeof (value as Partial<OAuthApp> | undefined)?.clientId === 'string' &&
  typeof (value as Partial<OAuthApp>).clientSecret === 'string';

/**
 * The Box apps sign-in can use: the one built in by whoever distributed Hoist, and the person's own
 * (kept sealed, like tokens). The person's own wins when both exist.
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

  /** The app a new sign-in uses. */
  forSignIn(): OAuthApp | undefined {
    return this.own() ?? this.#builtIn;
  }

  /** The app a stored sign-in was made with (its refresh token works only with that app). */
  byClientId(clientId: string): OAuthApp | undefined {
    return [this.own(), this.#builtIn].find((app) => app?.clientId === clientId);
  }

  availability(): SignInAvailability {
    if (this.own()) return { ready: true, app: 'own' };
    if (this.#builtIn) return { ready: true, app: 'built-in' };
    return { ready: false, missing: NO_BOX_APP };
  }
}
