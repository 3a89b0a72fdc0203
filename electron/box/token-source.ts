import { describeTokenOrigins } from './token-origins.ts';

/**
 * Where the bearer token comes from. The engine never stores or logs a token; it asks for the
 * current one per request.
 */
export interface TokenSource {
  /**
   * The token to send now. An OAuth source may refresh first (ahead of expiry) and rejects with
   * SignInRequiredError when nobody is signed in any more.
   */
  current(): string | Promise<string>;
  /**
   * After a 401 on a request sent with `rejected`: get a fresher token (an OAuth refresh) unless
   * one already replaced it. True when there is one.
   */
  refresh(rejected?: string): Promise<boolean>;
  /**
   * A job whose token was rejected waits here. Resolves true when a new token arrives, false at
   * once when nobody can supply one (the CLI's fixed token).
   */
  waitForNewToken(signal: AbortSignal, since?: number): Promise<boolean>;
  /**
   * The origins the token was issued for (an API origin and its upload origin). BoxClient sends
   * it nowhere token-origins.ts does not allow for them (for Box: also Box's other hosts);
   * undefined binds it to the client's own target.
   */
  readonly origins?: readonly string[] | undefined;
}

/** A request for an origin the token was not issued for: refused before anything is sent. */
export class TokenOriginError extends Error {
  readonly url: string;
  constructor(url: string, allowed: readonly string[]) {
    const origin = new URL(url).origin;
    super(
      `Hoist refused to send the access token to ${origin}: it belongs to ${describeTokenOrigins(allowed)} (a changed server, or an edited journal?)`,
    );
    this.name = 'TokenOriginError';
    this.url = url;
  }
}

/** A token given once (a CLI flag, a developer token): it cannot be refreshed. */
export class FixedTokenSource implements TokenSource {
  readonly #token: string;
  constructor(token: string) {
    this.#token = token;
  }
  current(): string {
    return this.#token;
  }
  async refresh(): Promise<boolean> {
    return false;
  }
  async waitForNewToken(): Promise<boolean> {
    return false;
  }
}

/** A token a person can replace while jobs wait (the app's settings). */
export class ReplaceableTokenSource implements TokenSource {
  #token: string;
  #waiters: Array<() => void> = [];

  constructor(token: string) {
    this.#token = token;
  }

  current(): string {
    return this.#token;
  }

  replace(token: string): void {
    this.#token = token;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  async refresh(): Promise<boolean> {
    return false;
  }

  waitForNewToken(signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const wake = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      };
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(wake);
    });
  }
}
