import type { BoxClientOptions } from '../box/box-client.ts';
import type { HttpSend } from '../box/http-transport.ts';
import type { OAuthApp } from '../box/oauth/oauth-client.ts';
import type { SettingsView, TargetSetting } from '../../shared/settings-model.ts';
import { BoxApps } from './box-apps.ts';
import { BrowserSignIns, type OpenInBrowser } from './browser-sign-in.ts';
import { developerTokenKey, signInKey, type ServerUrls } from './credential-keys.ts';
import { hasCredential, ServerAccount } from './server-account.ts';
import { ServiceError } from './service-error.ts';
import type { Logger } from './rotating-log.ts';
import { sameTargetSetting } from './service-target.ts';
import type { SecretStore } from './settings-store.ts';

/** What TargetAccounts needs: the secret store, the Box app built in, and the browser for sign-ins. */
export interface TargetAccountsOptions {
  secrets: SecretStore;
  builtInBoxApp?: OAuthApp | undefined;
  openInBrowser?: OpenInBrowser | undefined;
  signInTimeoutMs?: number | undefined;
  /** A rotated refresh token could not be saved (it is kept in memory for this run only). */
  onSignInSaveError?: ((error: Error) => void) | undefined;
  /** How token calls reach servers (the app's proxy settings); default: sendHttp. */
  send?: HttpSend | undefined;
}

type AccountFields = Pick<
  SettingsView,
  'tokenSet' | 'credential' | 'account' | 'signIn' | 'signInElsewhere' | 'ownAppClientId'
>;

/**
 * The service's side of accounts, whatever the target: the Box apps, browser sign-ins, and the
 * rule that a server is used only with a credential of its own.
 */
export class TargetAccounts {
  readonly apps: BoxApps;
  readonly #secrets: SecretStore;
  readonly #signIns: BrowserSignIns;
  readonly #onSignInSaveError: ((error: Error) => void) | undefined;
  readonly #send: HttpSend | undefined;

  constructor(options: TargetAccountsOptions) {
    this.#secrets = options.secrets;
    this.#send = options.send;
    this.#onSignInSaveError = options.onSignInSaveError;
    this.apps = new BoxApps(options.secrets, options.builtInBoxApp);
    this.#signIns = new BrowserSignIns(this.apps, options.openInBrowser, options.signInTimeoutMs);
  }

  /** An account for a server's stored credential (the service target builds one per custom server). */
  accountFor(server: ServerUrls): ServerAccount {
    return new ServerAccount(server, this.#secrets, this.apps, this.#onSignInSaveError, this.#send);
  }

  /** What Settings shows of the current server's account: never a token or a secret. */
  view(account: ServerAccount | undefined): AccountFields {
    const credential = account?.credential ?? 'none';
    return {
      tokenSet: credential !== 'none',
      credential,
      account: account?.account,
      signIn: this.apps.availability(),
      signInElsewhere: this.apps.availabilityElsewhere(),
      ownAppClientId: this.apps.own()?.clientId,
    };
  }

  /**
   * Before a change to another server: a token given with the change is kept for that server;
   * without one, the server must have its own credential already. None is ever carried across.
   */
  credentialForNewTarget(setting: TargetSetting, token: string | undefined): void {
    if (setting.kind !== 'custom') return;
    if (token) {
      this.#secrets.setSecret(developerTokenKey(setting), token);
      this.#secrets.deleteSecret(signInKey(setting));
      return;
    }
    if (!hasCredential(this.#secrets, this.apps, setting))
      throw new ServiceError(`Sign in with Box or enter an access token for ${new URL(setting.apiBaseUrl).host}.`);
  }

  /** Before credentialForNewTarget: the person's say when the token given would replace that server's credential. */
  async confirmTokenForNewTarget(
    setting: TargetSetting,
    token: string | undefined,
    asks: PersonQuestions,
  ): Promise<void> {
    if (setting.kind === 'custom' && token)
      await confirmCredentialChange(hasCredential(this.#secrets, this.apps, setting), setting, asks);
  }

  /** The browser sign-in for a server; the result is kept for that server before it resolves. */
  async signIn(server: ServerUrls, clientOptions: BoxClientOptions, account?: ServerAccount): Promise<void> {
    const result = await this.#signIns.run(server, clientOptions);
    await (account ?? this.accountFor(server)).signedIn(result.signIn, result.clientId, result.account);
  }

  cancelSignIn(): void {
    this.#signIns.cancel();
  }
}

/** Questions only the person can answer; main asks them in native dialogs, tests answer them. */
export interface PersonQuestions {
  /** Send uploads to this server (its API and upload URLs) from now on? */
  confirmServerChange?: (target: ServerUrls) => Promise<boolean>;
  /** Replace the credential Hoist has for this server (its host) with a new token? */
  confirmCredentialChange?: (serverHost: string) => Promise<boolean>;
  /** Replace the person's own Box app set before with another? */
  confirmBoxAppChange?: () => Promise<boolean>;
}

/**
 * The person's say before a new token replaces the credential Hoist has for a server (a sign-in or
 * another token): the renderer could otherwise swap in someone else's account unseen. None is asked
 * when the server had no credential.
 */
export async function confirmCredentialChange(
  hadCredential: boolean,
  server: ServerUrls,
  asks: PersonQuestions,
): Promise<void> {
  const host = new URL(server.apiBaseUrl).host;
  if (hadCredential && asks.confirmCredentialChange && !(await asks.confirmCredentialChange(host)))
    throw new ServiceError(`Hoist keeps its sign-in for ${host}: the new token was not confirmed.`);
}

/** What AccountActions needs of the service. */
export interface AccountHost {
  target(): { setting: TargetSetting; account: ServerAccount | undefined };
  /** Throws a ServiceError while uploads are unfinished. */
  refuseChangeWhileUnfinished(): void;
  switchTo(setting: TargetSetting): Promise<void>;
  clientOptions: BoxClientOptions;
  /** The browser came back: main brings the window to the front. */
  signedIn(): void;
  settingsChanged(): SettingsView;
  logger: Logger;
}

/** Sign in, sign out and the Box app, as the renderer asks for them (the account:* channels). */
export class AccountActions {
  readonly #accounts: TargetAccounts;
  readonly #host: AccountHost;

  constructor(accounts: TargetAccounts, host: AccountHost) {
    this.#accounts = accounts;
    this.#host = host;
  }

  /**
   * Sign in to a server in the system browser. The current server: its jobs waiting for sign-in
   * continue. Another server: it becomes the target once signed in, as a change in Settings would
   * (refused first while uploads are unfinished); the old server keeps its own credential.
   */
  async signIn(server: ServerUrls, asks: PersonQuestions = {}): Promise<SettingsView> {
    const host = this.#host;
    const { setting, account } = host.target();
    const switching = !sameTargetSetting(setting, { kind: 'custom', ...server });
    if (switching) {
      host.refuseChangeWhileUnfinished();
      // A sign-in to another server moves the uploads there: the person says so first, in main.
      if (asks.confirmServerChange && !(await asks.confirmServerChange(server)))
        throw new ServiceError('Not signed in: the change of server was not confirmed.');
    }
    await this.#accounts.signIn(server, host.clientOptions, switching ? undefined : account);
    host.signedIn();
    if (switching) {
      host.refuseChangeWhileUnfinished(); // uploads may have been added meanwhile
      await host.switchTo({ kind: 'custom', ...server });
    }
    host.logger.info('signed in', { server: new URL(server.apiBaseUrl).host });
    return host.settingsChanged();
  }

  cancelSignIn(): void {
    this.#accounts.cancelSignIn();
  }

  /** Revokes and forgets the current server's credential; its jobs wait for a new sign-in. */
  async signOut(): Promise<SettingsView> {
    const { account } = this.#host.target();
    if (!account) throw new ServiceError('The embedded local Box needs no sign-in.');
    await account.signOut();
    this.#host.logger.info('signed out', { server: new URL(account.server.apiBaseUrl).host });
    return this.#host.settingsChanged();
  }

  /**
   * "Use your own Box app", or null for the one built in. Existing sign-ins keep the app that made
   * them. Another app in place of the person's own one needs the person's say first.
   */
  async setBoxApp(app: OAuthApp | null, asks: PersonQuestions = {}): Promise<SettingsView> {
    const own = this.#accounts.apps.own();
    const replacing = app && own && (own.clientId !== app.clientId || own.clientSecret !== app.clientSecret);
    if (replacing && asks.confirmBoxAppChange && !(await asks.confirmBoxAppChange()))
      throw new ServiceError(`Hoist keeps your own Box app (${own.clientId}): the new one was not confirmed.`);
    this.#accounts.apps.setOwn(app);
    return this.#host.settingsChanged();
  }
}
