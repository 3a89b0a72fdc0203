import type { Agent as HttpAgent, ClientRequest } from 'node:http';
import type { AgentOptions, Agent as HttpsAgentType } from 'node:https';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Duplex } from 'node:stream';
import { notePeerCertificate } from './network-trust.ts';

/** A user name and password for a proxy that asks (407, Basic). */
export interface ProxyLogin {
  username: string;
  password: string;
}

/**
 * Credentials for proxies that ask for them. The app keeps them sealed (safeStorage) and asks
 * the person once; a proxy is named by its host:port and gets only its own credentials.
 */
export interface ProxyLogins {
  /** The login to send to this proxy without being asked, if one is known. */
  known(proxy: string): ProxyLogin | undefined;
  /**
   * The proxy answered 407 to `refused` (undefined: no login was sent). Resolves with the login to
   * try next (asking the person, once for all requests waiting), or undefined when there is none.
   */
  ask(proxy: string, refused: ProxyLogin | undefined): Promise<ProxyLogin | undefined>;
  /** The proxy let a connection through with this login: keep it. */
  accepted(proxy: string, login: ProxyLogin): void;
}

// Keep-alive: parts reuse connections (a TCP + TLS handshake per 8 MiB part would be waste).
// No socket cap here: the engine decides how many requests run at once.
export const KEEP_ALIVE = { keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 30_000 } as const;

/**
 * node:http and node:https come through process.getBuiltinModule: an ESM `import ... from
 * 'node:http'` builds the module's namespace by reading every export, and a few of them (WebSocket
 * and its events) load Node's whole fetch implementation, ~60 ms of CPU at every CLI start.
 */
const { Agent: HttpsAgent } = process.getBuiltinModule('node:https');

/** Node's https agent, keeping each server's certificate chain for a one-sentence refusal. */
class DirectHttpsAgent extends HttpsAgent {
  override createConnection(options: object, callback?: (error: Error | null, socket: Duplex) => void): Duplex {
    const socket = super.createConnection(options, callback) as Duplex;
    if (socket instanceof TLSSocket) notePeerCertificate(socket);
    return socket;
  }
}

/** What a request learned of its proxy: the status of its last CONNECT, and which login it sent. */
export interface TunnelReport {
  status?: number;
  login?: ProxyLogin | undefined;
}

export const TUNNEL_REPORT = Symbol('hoist.tunnelReport');
export type Reported = ClientRequest & { [TUNNEL_REPORT]?: TunnelReport };

/** The report the request carries (set when it went through a proxy). */
export const tunnelReportOf = (req: ClientRequest): TunnelReport | undefined => (req as Reported)[TUNNEL_REPORT];

/**
 * Agents by route: one direct agent per protocol, one tunnel agent per proxy (cached, so parts
 * reuse tunnels as they reuse direct connections).
 */
export class AgentPool {
  readonly #secureContext: SecureContext | undefined;
  readonly #logins: ProxyLogins | undefined;
  readonly #direct: { 'http:': HttpAgent; 'https:': HttpsAgentType };
  readonly #tunnels = new Map<string, Promise<HttpAgent>>();

  constructor(secureContext: SecureContext | undefined, logins: ProxyLogins | undefined) {
    this.#secureContext = secureContext;
    this.#logins = logins;
    const tls: AgentOptions = secureContext ? { secureContext } : {};
    this.#direct = {
      'http:': new (process.getBuiltinModule('node:http').Agent)(KEEP_ALIVE),
      'https:': new DirectHttpsAgent({ ...KEEP_ALIVE, ...tls }),
    };
  }

  direct(protocol: string): HttpAgent | undefined {
    return this.#direct[protocol as 'http:' | 'https:'];
  }

  /**
   * The tunnel agent for a proxy URL (its user:pass@, if any, goes in its CONNECTs and nowhere
   * else). Its code is loaded with the first proxy: https-proxy-agent and its dependencies cost
   * start-up time that a network without a proxy never needs.
   */
  tunnel(proxy: URL): Promise<HttpAgent> {
    const key = proxy.href;
    let agent = this.#tunnels.get(key);
    if (!agent) {
      agent = import('./proxy-tunnel.ts').then(({ tunnelAgent }) =>
        tunnelAgent(proxy, this.#secureContext, proxy.username || proxy.password ? undefined : this.#logins),
      );
      this.#tunnels.set(key, agent);
    }
    return agent;
  }
}
