import { getProxyForUrl } from 'proxy-from-env';

/**
 * Where a request goes: straight to the server, or through an HTTP proxy with CONNECT. `source`
 * says where the proxy came from, for messages ("the system's proxy settings", "HTTPS_PROXY").
 */
export type ProxyRoute = { kind: 'direct' } | { kind: 'proxy'; url: URL; source: string };

/** Which route a request to `url` takes; asked for every request (PAC scripts choose per URL). */
export type ProxyFor = (url: URL) => Promise<ProxyRoute> | ProxyRoute;

/**
 * The app's port to Chromium's proxy resolution: Electron's `session.resolveProxy(url)`, which
 * follows the system settings and PAC scripts and answers in PAC syntax ("DIRECT",
 * "PROXY host:port; DIRECT", "HTTPS host:port"...). Tests give their own.
 */
export type ResolveProxy = (url: string) => Promise<string>;

/** A proxy Hoist cannot use or that refused: the person must change a setting, so no retry. */
export class ProxyError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ProxyError';
    this.code = code;
  }
}

export const DIRECT: ProxyRoute = { kind: 'direct' };

/**
 * Reads a PAC answer: the first entry Hoist can use, in order (Chromium tries them in order too).
 * PROXY and HTTPS proxies are tunnelled with CONNECT; SOCKS is not supported, and an answer
 * naming only SOCKS proxies is said so rather than quietly sent direct.
 */
export function routeFromPac(answer: string, source = "the system's proxy settings"): ProxyRoute {
  const entries = answer
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return DIRECT;
  for (const entry of entries) {
    const [kind = '', where = ''] = entry.split(/\s+/, 2);
    const type = kind.toUpperCase();
    if (type === 'DIRECT') return DIRECT;
    if ((type === 'PROXY' || type === 'HTTPS') && where) {
      const url = URL.canParse(`http://${where}`)
        ? new URL(`${type === 'HTTPS' ? 'https' : 'http'}://${where}`)
        : undefined;
      if (url) return { kind: 'proxy', url, source };
    }
  }
  throw new ProxyError(
    'EPROXYUNSUPPORTED',
    `Hoist cannot use the proxy that ${source} name for this server ("${answer.slice(0, 120)}"): only HTTP and HTTPS proxies are supported`,
  );
}

/** The app: Chromium's answer for each URL (system settings, PAC), read as a route. */
export function pacProxyFor(resolveProxy: ResolveProxy): ProxyFor {
  return async (url) => routeFromPac(await resolveProxy(url.href));
}

/**
 * The CLI: HTTPS_PROXY for https URLs, HTTP_PROXY for http URLs, ALL_PROXY for both, none for
 * hosts NO_PROXY names (each also lower case), as curl reads them. A proxy URL may carry
 * `user:pass@`, sent as Basic proxy authentication to that proxy only.
 */
export function environmentProxyFor(): ProxyFor {
  return (url) => {
    const proxy = getProxyForUrl(url.href);
    if (!proxy) return DIRECT;
    const variable = url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
    if (!URL.canParse(proxy)) throw new ProxyError('EPROXYURL', `${variable} is not a URL Hoist can read`);
    const parsed = new URL(proxy);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new ProxyError(
        'EPROXYUNSUPPORTED',
        `${variable} names a ${parsed.protocol.slice(0, -1)} proxy; only http and https proxies are supported`,
      );
    return { kind: 'proxy', url: parsed, source: variable };
  };
}

/** The proxy's host:port as shown to a person and used to key its credentials; never its user or password. */
export const proxyHost = (url: URL): string =>
  `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
