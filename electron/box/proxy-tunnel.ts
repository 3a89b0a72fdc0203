import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { notePeerCertificate } from './network-trust.ts';
import { KEEP_ALIVE, TUNNEL_REPORT, type ProxyLogin, type ProxyLogins, type Reported } from './proxy-agents.ts';
import { ProxyError, proxyHost } from './proxy-route.ts';

/** What agent-base hands an agent's connect() (its type lives in agent-base, not a dependency of ours). */
type AgentConnectOpts = Parameters<HttpsProxyAgent<string>['connect']>[1];

/** CONNECT tunnels through one proxy; the TLS socket to the server keeps its chain for a one-sentence refusal. */
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

/**
 * The agent of one proxy (loaded only once a proxy is in use; see AgentPool.tunnel). With
 * `logins`, each CONNECT carries the login known for that proxy, and a 407 asks for one (Basic
 * only) and tries once more; every CONNECT's status is noted on its request for the transport.
 */
export function tunnelAgent(
  proxy: URL,
  secureContext: SecureContext | undefined,
  logins: ProxyLogins | undefined,
): TunnelAgent {
  const host = proxyHost(proxy);
  const agent = new TunnelAgent(proxy.href, {
    ...KEEP_ALIVE,
    // The TLS options of an https:// proxy; the server's TLS takes the request's options.
    ...(secureContext ? { secureContext } : {}),
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
    const login = logins?.known(host);
    req[TUNNEL_REPORT] = { status: connect.statusCode, login };
    if (connect.statusCode === 200 && login) logins?.accepted(host, login);
  });
  return agent;
}
