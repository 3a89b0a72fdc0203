import { Agent as HttpAgent, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Duplex } from 'node:stream';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { notePeerCertificate } from './network-trust.ts';
import { ProxyError, proxyHost } from './proxy-route.ts';

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
const KEEP_ALIVE = { keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 30_000 } as const;

/** Node's https agent, keeping each server's certificate chain for a one-sentence refusal. */
class DirectHttpsAgent extends HttpsAgent {
  override createConnection(options: object, callback?: (error: Error | null, socket: Duplex) => void): Duplex {
    const socket = super.createConnection(options, callback) as Duplex;
    if (socket instanceof TLSSocket) notePeerCertificate(socket);
    return socket;
  }
}

/** What agent-base hands an agent's connect() (its type lives in agent-base, not a dependency of ours). */
type AgentConnectOpts = Parameters<HttpsProxyAgent<string>['connect']>[1];

/** CONNECT tunnels through one proxy; the TLS socket to the server keeps its chain the same way. */
class TunnelAgent extends HttpsProxyAgent<string> {
  override async connect(req: ClientRequest, opts: AgentConnectOpts): Promise<Socket> {
    const socket = await super.connect(req, opts);
    // The TLS handshake with the server cannot have finished yet: it started in this very tick.
    if (socket instanceof TLSSocket) notePeerCertificate(socket);
    return socket;
  }
}

const basic = (login: ProxyLogin): string =>
  `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;

/** What a request learned of its proxy: the status of its last CONNECT, and which login it sent. */
export interface TunnelReport {
  status?: number;
  login?: ProxyLogin | undefined;
}

export const TUNNEL_REPORT = Symbol('hoist.tunnelReport');
type Reported = ClientRequest & { [TUNNEL_REPORT]?: TunnelReport };

/** The report the request carries (set when it went through a proxy). */
export const tunnelReportOf = (req: ClientRequest): TunnelReport | undefined => (req as Reported)[TUNNEL_REPORT];

/**
 * Agents by route: one direct agent per protocol, one tunnel agent per proxy (cached, so parts
 * reuse tunnels as they reuse direct connections).
 */
export class AgentPool {
  readonly #secureContext: SecureContext | undefined;
  readonly #logins: ProxyLogins | undefined;
  readonly #direct: { 'http:': HttpAgent; 'https:': HttpsAgent };
  readonly #tunnels = new Map<string, TunnelAgent>();

  constructor(secureContext: SecureContext | undefined, logins: ProxyLogins | undefined) {
    this.#secureContext = secureContext;
    this.#logins = logins;
    const tls: AgentOptions = secureContext ? { secureContext } : {};
    this.#direct = { 'http:': new HttpAgent(KEEP_ALIVE), 'https:': new DirectHttpsAgent({ ...KEEP_ALIVE, ...tls }) };
  }

  direct(protocol: string): HttpAgent | undefined {
    return this.#direct[protocol as 'http:' | 'https:'];
  }

  /** The tunnel agent for a proxy URL (its user:pass@, if any, goes in its CONNECTs and nowhere else). */
  tunnel(proxy: URL): TunnelAgent {
    const key = proxy.href;
    let agent = this.#tunnels.get(key);
    if (!agent) {
      agent = this.#makeTunnel(proxy);
      this.#tunnels.set(key, agent);
    }
    return agent;
  }

  #makeTunnel(proxy: URL): TunnelAgent {
    const host = proxyHost(proxy);
    const logins = proxy.username || proxy.password ? undefined : this.#logins;
    const agent = new TunnelAgent(proxy.href, {
      ...KEEP_ALIVE,
      // The TLS options of an https:// proxy; the server's TLS takes the request's options.
      ...(this.#secureContext ? { secureContext: this.#secureContext } : {}),
      ...(logins
        ? {
            headers: () => {
              const login = logins.known(host);
              return login ? { 'Proxy-Authorization': basic(login) } : {};
            },
            onProxyAuth: async ({ response }) => {
              const refused = logins.known(host);
              const scheme = String(response.headers['proxy-authenticate'] ?? '').split(/\s/)[0] ?? '';
              if (scheme && scheme.toLowerCase() !== 'basic')
                throw new ProxyError(
                  'EPROXYAUTH',
                  `The proxy ${host} asks for ${scheme} authentication, which Hoist does not support (only Basic)`,
                );
              const login = await logins.ask(host, refused);
              if (!login)
                throw new ProxyError(
                  'EPROXYAUTH',
                  `The proxy ${host} asks for a user name and password, and none was given`,
                );
              return { headers: { 'Proxy-Authorization': basic(login) } };
            },
          }
        : {}),
    });
    agent.on('proxyConnect', (connect: { statusCode: number }, req: Reported) => {
      const login = proxy.username || proxy.password ? undefined : logins?.known(host);
      req[TUNNEL_REPORT] = { status: connect.statusCode, login };
      if (connect.statusCode === 200 && login) logins?.accepted(host, login);
    });
    return agent;
  }
}
