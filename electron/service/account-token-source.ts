import { SignInRequiredError } from '../box/oauth/oauth-client.ts';
import type { TokenSource } from '../box/token-source.ts';
import type { ServerOrigins } from './credential-keys.ts';

const NOT_SIGNED_IN = 'Hoist is not signed in to this server; sign in to continue';

/**
 * The token source of the app's current server: whichever credential the person gave it (a
 * sign-in, a pasted token, or none yet), swapped without restarting the jobs. A swap wakes every
 * job waiting for a token. It is bound to the server's two origins whatever is inside, so nothing
 * a person does in Settings can make another server receive this server's token.
 */
export class AccountTokenSource implements TokenSource {
  readonly origins: readonly string[];
  #inner: TokenSource | undefined;
  /** Counts credentials put in: a job told "sign in" before a swap need not wait for the next one. */
  #swaps = 0;
  readonly #waiters = new Set<() => void>();

  constructor(server: ServerOrigins) {
    this.origins = [...new Set([server.apiOrigin, server.uploadOrigin])];
  }

  get inner(): TokenSource | undefined {
    return this.#inner;
  }

  /** A new credential (or none, after sign-out): jobs waiting for a token try again. */
  use(inner: TokenSource | undefined): void {
    this.#inner = inner;
    this.#swaps += 1;
    if (!inner) return;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  current(): string | Promise<string> {
    const inner = this.#inner;
    const swaps = this.#swaps;
    try {
      if (!inner) throw new SignInRequiredError(NOT_SIGNED_IN);
      const token = inner.current();
      return typeof token === 'string' ? token : token.catch((error: unknown) => this.#stamped(error, swaps));
    } catch (error) {
      return this.#stamped(error, swaps);
    }
  }

  async refresh(rejected?: string): Promise<boolean> {
    const inner = this.#inner;
    const swaps = this.#swaps;
    try {
      if (!inner) throw new SignInRequiredError(NOT_SIGNED_IN);
      return await inner.refresh(rejected);
    } catch (error) {
      return this.#stamped(error, swaps);
    }
  }

  /** A sign-in that ended carries this source's count, for waitForNewToken's `since`. */
  #stamped(error: unknown, swaps: number): never {
    if (error instanceof SignInRequiredError) throw new SignInRequiredError(error.message, swaps);
    throw error;
  }

  /**
   * Resolves when the credential inside has a new token, or another credential replaces it (or
   * already did, since the `since` a SignInRequiredError of this source carried).
   */
  waitForNewToken(signal: AbortSignal, since?: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      if (since !== undefined && since < this.#swaps && this.#inner) return resolve(true);
      const inner = new AbortController();
      const finish = (): void => {
        this.#waiters.delete(wake);
        signal.removeEventListener('abort', onAbort);
        inner.abort();
      };
      const wake = (): void => {
        finish();
        resolve(true);
      };
      const onAbort = (): void => {
        finish();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(wake);
      // A fixed token answers false at once: then only a new credential helps, and the job waits.
      this.#inner?.waitForNewToken(inner.signal).then(
        (renewed) => renewed && this.#waiters.has(wake) && wake(),
        () => undefined,
      );
    });
  }
}
