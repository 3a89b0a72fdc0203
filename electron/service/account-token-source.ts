import { SignInRequiredError } from '../box/oauth/oauth-client.ts';
import type { TokenSource } from '../box/token-source.ts';
import type { ServerOrigins } from './credential-keys.ts';

/**
 * The token source of the app's current server: whichever credential the person gave it (a
 * sign-in, a pasted token, or none yet), swapped without restarting the jobs. A swap wakes every
 * job waiting for a token. It is bound to the server's two origins whatever is inside, so nothing
 * a person does in Settings can make another server receive this server's token.
 */
export class AccountTokenSource implements TokenSource {
  readonly origins: readonly string[];
  #inner: TokenSource | undefined;
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
    if (!inner) return;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  current(): string | Promise<string> {
    if (!this.#inner) throw new SignInRequiredError('Hoist is not signed in to this server; sign in to continue');
    return this.#inner.current();
  }

  async refresh(rejected?: string): Promise<boolean> {
    const inner = this.#inner;
    if (!inner) throw new SignInRequiredError('Hoist is not signed in to this server; sign in to continue');
    return inner.refresh(rejected);
  }

  /** Resolves when the credential inside has a new token, or another credential replaces it. */
  waitForNewToken(signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
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
