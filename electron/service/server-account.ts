import type { BoxClient } from '../box/box-client.ts';
import type { HttpSend } from '../box/http-transport.ts';
import { oauthEndpointsFor } from '../box/oauth/oauth-endpoints.ts';
import { OAuthTokenSource } from '../box/oauth/oauth-token-source.ts';
import type { StoredSignIn } from '../box/oauth/token-store.ts';
import { FixedTokenSource } from '../box/token-source.ts';
import type { AccountView, CredentialKind } from '../../shared/settings-model.ts';
import { AccountTokenSource } from './account-token-source.ts';
import type { BoxApps } from './box-apps.ts';
import { developerTokenKey, originsOf, signInKey, type ServerUrls } from './credential-keys.ts';
import { readSealedSignIn, SecretTokenStore } from './secret-token-store.ts';
import type { SecretStore } from './settings-store.ts';

/**
 * The credential of one server (a custom target) and who it belongs to. At most one credential per
 * server: signing in forgets a pasted token, pasting a token signs out. Credentials are kept per
 * server (credential-keys.ts), so they never follow a change of server.
 */
export class ServerAccount {
  readonly server: ServerUrls;
  readonly tokens: AccountTokenSource;
  readonly #secrets: SecretStore;
  readonly #apps: BoxApps;
  #account: AccountView | undefined;
  readonly #onSaveError: ((error: Error) => void) | undefined;

  readonly #send: HttpSend | undefined;

  constructor(
    server: ServerUrls,
    secrets: SecretStore,
    apps: BoxApps,
    onSaveError?: (error: Error) => void,
    send?: HttpSend,
  ) {
    this.server = server;
    this.#send = send;
    this.#onSaveError = onSaveError;
    this.tokens = new AccountTokenSource(originsOf(server));
    this.#secrets = secrets;
    this.#apps = apps;
    this.tokens.use(this.#storedCredential());
  }

  /** The stored sign-in (with the app that made it), else a pasted token, else nothing. */
  #storedCredential(): OAuthTokenSource | FixedTokenSource | undefined {
    const sealed = readSealedSignIn(this.#secrets, this.server);
    const app = sealed ? this.#apps.byClientId(sealed.clientId, this.server.apiBaseUrl) : undefined;
    if (sealed && app) return this.#oauthSource(app.clientId);
    const token = this.#secrets.getSecret(developerTokenKey(this.server));
    return token ? new FixedTokenSource(token) : undefined;
  }

  #oauthSource(clientId: string): OAuthTokenSource {
    const app = this.#apps.byClientId(clientId, this.server.apiBaseUrl)!;
    return new OAuthTokenSource({
      endpoints: oauthEndpointsFor(this.server.apiBaseUrl),
      app,
      store: new SecretTokenStore(this.#secrets, this.server, clientId),
      ...(this.#onSaveError ? { onSaveError: this.#onSaveError } : {}),
      ...(this.#send ? { send: this.#send } : {}),
    });
  }

  get credential(): CredentialKind {
    const inner = this.tokens.inner;
    if (inner instanceof OAuthTokenSource) return 'sign-in';
    return inner ? 'developer-token' : 'none';
  }

  get account(): AccountView | undefined {
    return this.#account;
  }

  /** After a browser sign-in: keep it, forget a pasted token, and wake the jobs waiting for one. */
  async signedIn(signIn: StoredSignIn, clientId: string, account: AccountView | undefined): Promise<void> {
    // A new source even when one exists: the new sign-in may come from another Box app.
    const source = this.#oauthSource(clientId);
    await source.signedIn(signIn);
    this.#secrets.deleteSecret(developerTokenKey(this.server));
    this.#account = account;
    this.tokens.use(source);
  }

  /** A pasted access token replaces a sign-in (which is revoked). */
  async useToken(token: string): Promise<void> {
    const previous = this.tokens.inner;
    this.#secrets.setSecret(developerTokenKey(this.server), token);
    this.#account = undefined;
    this.tokens.use(new FixedTokenSource(token));
    if (previous instanceof OAuthTokenSource) await previous.signOut();
    this.#secrets.deleteSecret(signInKey(this.server));
  }

  /** Sign out: revokes both tokens of a sign-in (best effort) and forgets every credential of this server. */
  async signOut(): Promise<void> {
    const previous = this.tokens.inner;
    this.tokens.use(undefined);
    this.#account = undefined;
    if (previous instanceof OAuthTokenSource) await previous.signOut();
    this.#secrets.deleteSecret(signInKey(this.server));
    this.#secrets.deleteSecret(developerTokenKey(this.server));
  }

  /** Asks the server who this is (GET /users/me); keeps the last answer; a failure keeps what was known. */
  async refreshAccount(client: BoxClient): Promise<AccountView | undefined> {
    if (this.credential === 'none') return undefined;
    const user = await client.getCurrentUser();
    this.#account = accountView(user);
    return this.#account;
  }
}

/** What the renderer may know of an account: who, and space. */
export function accountView(user: AccountView): AccountView {
  return {
    login: user.login,
    name: user.name,
    spaceUsedBytes: user.spaceUsedBytes,
    spaceAmountBytes: user.spaceAmountBytes,
  };
}

/** Whether a server has a credential Hoist can use (a sign-in whose Box app is here, or a token). */
export function hasCredential(secrets: SecretStore, apps: BoxApps, server: ServerUrls): boolean {
  const sealed = readSealedSignIn(secrets, server);
  if (sealed && apps.byClientId(sealed.clientId, server.apiBaseUrl)) return true;
  return Boolean(secrets.getSecret(developerTokenKey(server)));
}
