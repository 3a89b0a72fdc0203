import type { HttpSend } from '../http-transport.ts';
import type { TokenSource } from '../token-source.ts';
import {
  clientCredentials,
  refreshTokens,
  revokeToken,
  SignInRequiredError,
  type OAuthApp,
  type TokenSet,
} from './oauth-client.ts';
import type { OAuthEndpoints } from './oauth-endpoints.ts';
import type { StoredSignIn, TokenStore } from './token-store.ts';

/** Box's access tokens live 60 minutes: refresh a minute early, so no request carries a dying token. */
const DEFAULT_REFRESH_MARGIN_MS = 60_000;

export interface OAuthTokenSourceOptions {
  endpoints: OAuthEndpoints;
  app: OAuthApp;
  store: TokenStore;
  /** Refresh this long before expiry (capped at a tenth of the token's life). Default 60 s. */
  refreshMarginMs?: number;
  nowMs?: () => number;
  /** For a client-credentials sign-in: renew by the same grant (it has no refresh token). */
  clientCredentialsSubject?: { type: 'enterprise' | 'user'; id: string };
  /** Told after each refresh (tests count them; the app may log "refreshed" without the token). */
  onRefreshed?: (reason: 'expiring' | 'rejected') => void;
  /**
   * How long a job waits for a new sign-in before waitForNewToken answers false (the job stops and
   * is kept for a later resume). Default: as long as it takes (the app, where a person can sign in).
   */
  signInWaitMs?: number;
  /**
   * While jobs wait for a sign-in, read the store this often: a sign-in saved by another process
   * (`hoist login` in another terminal) wakes them. Default: never (the app signs in itself).
   */
  storeReloadMs?: number;
  /** The new tokens could not be written: they are kept in memory for this run only. */
  onSaveError?: (error: Error) => void;
  /** How token calls reach the server (the app's proxy settings); default: sendHttp. */
  send?: HttpSend;
}

/**
 * One per signed-in account, shared by every job: refreshes ahead of expiry (margin) and after a
 * 401, single-flight; saves the rotated refresh token before using the new access token;
 * invalid_grant → jobs wait for sign-in (waitForNewToken) instead of failing.
 *
 *   signed in ──(expiring / 401)──► refreshing ──► signed in (new pair saved first)
 *       ▲                               │ invalid_grant
 *       └──────── signedIn() ◄── needs sign-in (jobs wait)
 */
export class OAuthTokenSource implements TokenSource {
  readonly #options: OAuthTokenSourceOptions;
  readonly #nowMs: () => number;
  #signIn: StoredSignIn | undefined;
  #needsSignIn: boolean;
  #refreshing: Promise<void> | undefined;
  #waiters: Array<() => void> = [];
  #reloadTimer: NodeJS.Timeout | undefined;
  /** Counts sign-ins, so a job that saw sign-in N end stops waiting once N+1 exists. */
  #generation = 0;

  constructor(options: OAuthTokenSourceOptions) {
    this.#options = options;
    this.#nowMs = options.nowMs ?? Date.now;
    this.#signIn = options.store.load();
    this.#needsSignIn = this.#signIn === undefined;
  }

  #callOptions(): { nowMs: () => number; send?: HttpSend } {
    return { nowMs: this.#nowMs, ...(this.#options.send ? { send: this.#options.send } : {}) };
  }

  /** True when nobody is signed in, or the sign-in ended (invalid_grant): jobs wait. */
  get needsSignIn(): boolean {
    return this.#needsSignIn;
  }

  /**
   * The account's servers: its tokens go nowhere else. Undefined while nobody is signed in (there
   * is no token to send; asking for one says to sign in, so jobs wait instead of failing).
   */
  get origins(): readonly string[] | undefined {
    return this.#signIn ? [this.#signIn.apiOrigin, this.#signIn.uploadOrigin] : undefined;
  }

  /** Who is signed in, without the tokens. */
  get account(): { login?: string; name?: string; apiOrigin: string } | undefined {
    if (!this.#signIn) return undefined;
    const { login, name, apiOrigin } = this.#signIn;
    return { apiOrigin, ...(login !== undefined ? { login } : {}), ...(name !== undefined ? { name } : {}) };
  }

  #marginMs(signIn: StoredSignIn): number {
    const margin = this.#options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    if (signIn.issuedAtMs === undefined) return margin;
    return Math.min(margin, Math.max(0, (signIn.expiresAtMs - signIn.issuedAtMs) / 10));
  }

  #canRenew(signIn: StoredSignIn): boolean {
    return signIn.refreshToken !== undefined || this.#options.clientCredentialsSubject !== undefined;
  }

  async current(): Promise<string> {
    for (;;) {
      const signIn = this.#signIn;
      if (!signIn || this.#needsSignIn) throw this.#signInRequired();
      const expiring = this.#nowMs() >= signIn.expiresAtMs - this.#marginMs(signIn);
      if (!expiring || !this.#canRenew(signIn)) return signIn.accessToken;
      await this.#refreshOnce(signIn.accessToken, 'expiring');
    }
  }

  async refresh(rejected?: string): Promise<boolean> {
    const signIn = this.#signIn;
    if (!signIn || this.#needsSignIn) throw this.#signInRequired();
    if (rejected !== undefined && rejected !== signIn.accessToken) return true; // replaced meanwhile
    if (!this.#canRenew(signIn)) {
      this.#endSignIn();
      throw this.#signInRequired();
    }
    await this.#refreshOnce(signIn.accessToken, 'rejected');
    return true;
  }

  /** Everyone who finds the same token stale shares one refresh (Box's refresh tokens work once). */
  #refreshOnce(stale: string, reason: 'expiring' | 'rejected'): Promise<void> {
    if (this.#refreshing) return this.#refreshing;
    if (this.#signIn?.accessToken !== stale) return Promise.resolve();
    const refreshing = this.#renew(reason).finally(() => {
      if (this.#refreshing === refreshing) this.#refreshing = undefined;
    });
    this.#refreshing = refreshing;
    return refreshing;
  }

  async #renew(reason: 'expiring' | 'rejected'): Promise<void> {
    let signIn = this.#signIn!;
    const saved = this.#renewedElsewhere(signIn);
    if (saved) {
      // Another process sharing this sign-in (a second `hoist upload`) refreshed first: its pair
      // is the live one, and Box's refresh tokens work once, so ours would only be refused.
      this.#signIn = saved;
      const expiring = this.#nowMs() >= saved.expiresAtMs - this.#marginMs(saved);
      if (!expiring) return;
      signIn = saved;
    }
    const { endpoints, app, clientCredentialsSubject } = this.#options;
    let tokens: TokenSet;
    try {
      tokens =
        signIn.refreshToken !== undefined
          ? await refreshTokens(endpoints, app, signIn.refreshToken, this.#callOptions())
          : await clientCredentials(endpoints, app, clientCredentialsSubject!, this.#callOptions());
    } catch (error) {
      if (error instanceof SignInRequiredError && this.#signIn === signIn) {
        this.#endSignIn();
        throw this.#signInRequired(error.message);
      }
      throw error;
    }
    if (this.#signIn !== signIn) return; // signed out or in again meanwhile: that wins
    const next: StoredSignIn = {
      ...signIn,
      accessToken: tokens.accessToken,
      // RFC 6749 section 6: a server may keep the old refresh token; Box always sends a new one.
      refreshToken: tokens.refreshToken ?? signIn.refreshToken,
      expiresAtMs: tokens.expiresAtMs,
      issuedAtMs: this.#nowMs(),
    };
    try {
      await this.#options.store.save(next); // durable before the new access token is used
    } catch (error) {
      this.#options.onSaveError?.(error as Error);
    }
    this.#signIn = next;
    this.#options.onRefreshed?.(reason);
  }

  /** The same account's sign-in as saved now, when another process has renewed it since we read it. */
  #renewedElsewhere(signIn: StoredSignIn): StoredSignIn | undefined {
    let saved: StoredSignIn | undefined;
    try {
      saved = this.#options.store.load();
    } catch {
      return undefined; // unreadable now: refresh with what we hold
    }
    if (saved === undefined || saved.accessToken === signIn.accessToken) return undefined;
    const sameAccount =
      saved.apiOrigin === signIn.apiOrigin &&
      saved.uploadOrigin === signIn.uploadOrigin &&
      saved.login === signIn.login;
    // Newer than ours only: when our last save failed, the store still holds the pair we spent.
    const newer = (saved.issuedAtMs ?? 0) > (signIn.issuedAtMs ?? 0);
    return sameAccount && newer && saved.refreshToken !== signIn.refreshToken ? saved : undefined;
  }

  #endSignIn(): void {
    this.#needsSignIn = true;
  }

  #signInRequired(message?: string): SignInRequiredError {
    const server = this.#signIn ? new URL(this.#signIn.apiOrigin).host : 'the server';
    return new SignInRequiredError(message ?? `the sign-in to ${server} has ended; sign in again`, this.#generation);
  }

  /** After a sign-in: save, wake waiting jobs. */
  async signedIn(signIn: StoredSignIn): Promise<void> {
    const withIssued = { ...signIn, issuedAtMs: signIn.issuedAtMs ?? this.#nowMs() };
    await this.#options.store.save(withIssued);
    this.#signIn = withIssued;
    this.#needsSignIn = false;
    this.#wakeWaiters();
  }

  #wakeWaiters(): void {
    this.#generation += 1;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
    this.#stopReloading();
  }

  /** A sign-in another process saved (a different access token than the one that ended) is taken up. */
  #reloadStore(): void {
    let loaded: StoredSignIn | undefined;
    try {
      loaded = this.#options.store.load();
    } catch {
      return; // a store that cannot be read now is read again on the next tick
    }
    if (!loaded || loaded.accessToken === this.#signIn?.accessToken) return;
    this.#signIn = loaded;
    this.#needsSignIn = false;
    this.#wakeWaiters();
  }

  #startReloading(): void {
    const everyMs = this.#options.storeReloadMs;
    if (everyMs === undefined || this.#reloadTimer) return;
    this.#reloadTimer = setInterval(() => this.#reloadStore(), everyMs);
  }

  #stopReloading(): void {
    clearInterval(this.#reloadTimer);
    this.#reloadTimer = undefined;
  }

  /** Revokes both tokens (best effort: an unreachable server must not keep a person signed in), clears the store. */
  async signOut(): Promise<void> {
    const signIn = this.#signIn;
    this.#signIn = undefined;
    this.#needsSignIn = true;
    if (signIn) {
      const { endpoints, app } = this.#options;
      for (const token of [signIn.refreshToken, signIn.accessToken]) {
        if (token !== undefined) await revokeToken(endpoints, app, token, this.#callOptions()).catch(() => undefined);
      }
    }
    await this.#options.store.clear();
  }

  /**
   * A job whose sign-in ended waits here until signedIn() is called. `since` is the generation
   * its SignInRequiredError named: a sign-in after it wakes the job at once. Without it (the
   * server rejected even a refreshed token), this sign-in is taken as over.
   */
  waitForNewToken(signal: AbortSignal, since?: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      if (since !== undefined && since < this.#generation && !this.#needsSignIn) return resolve(true);
      this.#needsSignIn = true;
      const limitMs = this.#options.signInWaitMs;
      if (limitMs === 0) return resolve(false);
      const leave = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
        if (this.#waiters.length === 0) this.#stopReloading();
      };
      const wake = (): void => {
        leave();
        resolve(true);
      };
      const onAbort = (): void => {
        leave();
        reject(signal.reason);
      };
      const timer =
        limitMs === undefined
          ? undefined
          : setTimeout(() => {
              leave();
              resolve(false);
            }, limitMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(wake);
      this.#startReloading();
    });
  }
}
