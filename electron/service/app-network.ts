import { createHttpSend, type HttpSend } from '../box/http-transport.ts';
import type { ProxyLogin, ProxyLogins } from '../box/proxy-agents.ts';
import { environmentProxyFor, pacProxyFor, type ResolveProxy } from '../box/proxy-route.ts';
import { readSecretJson, type SecretStore } from './settings-store.ts';

export type { ProxyLogin };

/**
 * The person's user name and password for a proxy that asks (407): main asks in a window of its
 * own; undefined when the person cancels. `refused` says the last ones given did not work.
 */
export type AskProxyLogin = (question: { proxy: string; refused: boolean }) => Promise<ProxyLogin | undefined>;

/** How the app reaches servers: ports main fills with Electron (tests with their own). */
export interface AppNetwork {
  /** Chromium's proxy for a URL (session.resolveProxy: system settings, PAC). Absent: the environment variables. */
  resolveProxy?: ResolveProxy;
  askProxyLogin?: AskProxyLogin;
  /** CA certificates (PEM) to trust besides Node's, the OS store's and NODE_EXTRA_CA_CERTS (tests). */
  extraCaPem?: readonly string[];
}

/** After the person cancels, requests through that proxy fail without asking again for this long. */
const DECLINE_QUIET_MS = 60_000;

const isLogin = (value: unknown): value is ProxyLogin =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ProxyLogin).username === 'string' &&
  typeof (value as ProxyLogin).password === 'string';

const same = (a: ProxyLogin | undefined, b: ProxyLogin | undefined): boolean =>
  a !== undefined && b !== undefined && a.username === b.username && a.password === b.password;

/**
 * Proxy credentials, per proxy host:port: kept sealed in the secret store (safeStorage) once the
 * proxy accepted them, asked for once however many requests met the 407 together, forgotten when
 * the proxy refuses them. Never logged; the transport sends them to that proxy only.
 */
export class ProxyLoginBook implements ProxyLogins {
  readonly #secrets: SecretStore;
  readonly #ask: AskProxyLogin | undefined;
  readonly #nowMs: () => number;
  readonly #memory = new Map<string, ProxyLogin>();
  readonly #asking = new Map<string, Promise<ProxyLogin | undefined>>();
  readonly #declinedAtMs = new Map<string, number>();

  constructor(secrets: SecretStore, ask: AskProxyLogin | undefined, nowMs: () => number = Date.now) {
    this.#secrets = secrets;
    this.#ask = ask;
    this.#nowMs = nowMs;
  }

  static secretName = (proxy: string): string => `proxyLogin:${proxy}`;

  known(proxy: string): ProxyLogin | undefined {
    const remembered = this.#memory.get(proxy);
    if (remembered) return remembered;
    const stored = readSecretJson(this.#secrets, ProxyLoginBook.secretName(proxy), isLogin);
    if (stored) this.#memory.set(proxy, stored);
    return stored;
  }

  ask(proxy: string, refused: ProxyLogin | undefined): Promise<ProxyLogin | undefined> {
    const current = this.known(proxy);
    // Another request's question was answered meanwhile: try that answer first.
    if (current && !same(current, refused)) return Promise.resolve(current);
    if (current) this.#forget(proxy);
    const pending = this.#asking.get(proxy);
    if (pending) return pending;
    const declinedAtMs = this.#declinedAtMs.get(proxy);
    if (!this.#ask || (declinedAtMs !== undefined && this.#nowMs() - declinedAtMs < DECLINE_QUIET_MS))
      return Promise.resolve(undefined);
    const asked = this.#ask({ proxy, refused: refused !== undefined })
      .catch(() => undefined)
      .then((login) => {
        if (login) this.#memory.set(proxy, login);
        else this.#declinedAtMs.set(proxy, this.#nowMs());
        return login;
      })
      .finally(() => this.#asking.delete(proxy));
    this.#asking.set(proxy, asked);
    return asked;
  }

  accepted(proxy: string, login: ProxyLogin): void {
    this.#declinedAtMs.delete(proxy);
    const name = ProxyLoginBook.secretName(proxy);
    if (same(readSecretJson(this.#secrets, name, isLogin), login)) return;
    this.#secrets.setSecret(name, JSON.stringify(login));
  }

  #forget(proxy: string): void {
    this.#memory.delete(proxy);
    this.#secrets.deleteSecret(ProxyLoginBook.secretName(proxy));
  }
}

/**
 * The app's transport: each request asks Chromium for its proxy, proxy credentials come from the
 * book, servers are trusted by Node's CAs and the OS store's. Undefined without ports: the default
 * (the environment variables).
 */
export function appSend(network: AppNetwork | undefined, secrets: SecretStore): HttpSend | undefined {
  if (!network) return undefined;
  return createHttpSend({
    proxyFor: network.resolveProxy ? pacProxyFor(network.resolveProxy) : environmentProxyFor(),
    proxyLogins: new ProxyLoginBook(secrets, network.askProxyLogin),
    ...(network.extraCaPem ? { extraCaPem: network.extraCaPem } : {}),
  });
}
