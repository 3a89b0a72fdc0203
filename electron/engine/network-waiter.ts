import { BoxApiError } from '../box/box-error.ts';
import { SignInRequiredError } from '../box/oauth/oauth-client.ts';
import type { BoxClient } from '../box/box-client.ts';
import { CertificateError, ProxyError } from '../box/http-transport.ts';
import { Wake } from './concurrency.ts';
import { NetworkUnavailable, TokenRejected } from './job-stops.ts';

/** How long jobs wait for an unreachable server; `random` is the probes' jitter. */
export interface NetworkWaitOptions {
  /** Give up after this long (the CLI); undefined waits as long as it takes (the app). */
  maxWaitMs?: number | undefined;
  random?: () => number;
}

const FIRST_PROBE_MS = 1000;
const MAX_PROBE_MS = 30_000;

/**
 * Jobs whose retries ran out because the server could not be reached wait here. It probes the
 * server with backoff and lets them go as soon as it answers anything at all; `wake()` (the OS
 * saying it is online again) probes at once.
 */
export class NetworkWaiter {
  readonly #client: BoxClient;
  readonly #options: NetworkWaitOptions;
  readonly #wake = new Wake();

  constructor(client: BoxClient, options: NetworkWaitOptions = {}) {
    this.#client = client;
    this.#options = options;
  }

  #online = true;

  /** The OS says the network is back: probe at once. */
  wake(): void {
    this.#wake.notify();
  }

  /** The OS's online/offline state: while offline, waiting jobs do not probe. */
  setOnline(online: boolean): void {
    this.#online = online;
    if (online) this.wake();
  }

  /** Until the delay passes, `wake()` is called, or the signal aborts; never rejects. */
  #pause(delayMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, delayMs);
      signal.addEventListener('abort', done, { once: true });
      void this.#wake.wait().then(done);
    });
  }

  /**
   * Is the server answering? Any HTTP answer, even an error, means it can be reached; but a
   * 401 means the token is the problem, which waiting for the network would never fix.
   */
  async probe(signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#client.getFolder('0', signal);
      return true;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof BoxApiError && error.status === 401) throw new TokenRejected();
      if (error instanceof SignInRequiredError) throw error; // no network wait brings a sign-in back
      if (error instanceof CertificateError || error instanceof ProxyError) throw error; // nor trusts a certificate
      return error instanceof BoxApiError;
    }
  }

  /** Resolves once the server answers; `onRetryAt` hears when the next probe is due. */
  async waitUntilReachable(signal: AbortSignal, onRetryAt: (atMs: number) => void): Promise<void> {
    const random = this.#options.random ?? Math.random;
    const startedMs = Date.now();
    for (let round = 0; ; round++) {
      const delayMs = Math.min(MAX_PROBE_MS, FIRST_PROBE_MS * 2 ** round) * (0.75 + random() / 2);
      const maxWaitMs = this.#options.maxWaitMs;
      if (maxWaitMs !== undefined && Date.now() + delayMs - startedMs > maxWaitMs) {
        throw new NetworkUnavailable(`the server did not answer for ${Math.round(maxWaitMs / 1000)} s`);
      }
      onRetryAt(Date.now() + delayMs);
      await this.#pause(delayMs, signal);
      if (signal.aborted) throw signal.reason;
      if (!this.#online) {
        round -= 1; // offline: wait for the OS to say it is back, without counting a round
        continue;
      }
      if (await this.probe(signal)) return;
    }
  }
}
