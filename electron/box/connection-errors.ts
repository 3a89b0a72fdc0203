import { certificateErrorFrom, CertificateError } from './network-trust.ts';
import { DIRECT, ProxyError, proxyHost, type ProxyRoute } from './proxy-route.ts';

/** The request never got an answer: refused, reset, timed out, DNS. Retry material. */
export class NetworkError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'NetworkError';
  }
}

/** A failure of the connection itself, as the error a caller can act on (retry, or tell the person). */
export function networkErrorFrom(error: NodeJS.ErrnoException, url: URL, route: ProxyRoute = DIRECT): Error {
  if (error instanceof ProxyError || error instanceof CertificateError || error instanceof NetworkError) return error;
  const certificate = certificateErrorFrom(error, url.hostname);
  if (certificate) return certificate;
  const code = error.code ?? 'ECONNRESET';
  if (route.kind === 'proxy') {
    const proxy = proxyHost(route.url);
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return new NetworkError(code, `the proxy ${proxy} (from ${route.source}) cannot be reached (${code})`);
  }
  const where = `${url.protocol}//${url.host}`;
  const what: Record<string, string> = {
    ECONNREFUSED: `${where} refused the connection`,
    ECONNRESET: `the connection to ${where} was reset`,
    EPIPE: `the connection to ${where} was closed while sending`,
    ETIMEDOUT: `${where} stopped responding`,
    ENOTFOUND: `${url.hostname} could not be found (DNS)`,
    EAI_AGAIN: `${url.hostname} could not be looked up (DNS)`,
    ENETUNREACH: 'the network is unreachable',
    EHOSTUNREACH: `${url.hostname} is unreachable`,
  };
  return new NetworkError(code, what[code] ?? `${where}: ${error.message}`);
}

/**
 * A CONNECT the proxy did not answer with 200: 407 is a matter of credentials (the person's,
 * so no retry); a 5xx means the proxy could not reach the server (retried like any network
 * failure); anything else is the proxy refusing.
 */
export function proxyRefusal(
  status: number,
  url: URL,
  route: ProxyRoute & { kind: 'proxy' },
  loginSent: boolean,
): Error {
  const proxy = proxyHost(route.url);
  if (status === 407) {
    const fromUrl = route.url.username !== '' || route.url.password !== '';
    const message = fromUrl
      ? `The proxy ${proxy} refused the user name and password in ${route.source}`
      : loginSent
        ? `The proxy ${proxy} refused the user name and password given for it`
        : `The proxy ${proxy} asks for a user name and password${route.source.endsWith('_PROXY') ? ` (give them in ${route.source} as http://user:password@${proxy})` : ''}`;
    return new ProxyError('EPROXYAUTH', message);
  }
  if (status >= 500)
    return new NetworkError(`EPROXY${status}`, `the proxy ${proxy} could not reach ${url.host} (${status})`);
  return new ProxyError(`EPROXY${status}`, `The proxy ${proxy} refused to connect to ${url.host} (${status})`);
}
