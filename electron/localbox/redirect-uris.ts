/**
 * Box's redirect_uri rules (developer.box.com, OAuth 2.0 setup): the redirect_uri must match one
 * the app configured. For a loopback URI (http on 127.0.0.1, [::1] or localhost) only the port may
 * differ, as a desktop app's loopback listener needs (RFC 8252 section 7.3); "the scheme, domain,
 * path and query parameters must match" — so `localhost` does not match a configured `127.0.0.1`.
 * Any other URI must equal a configured one exactly. With no redirect_uri, the app's only
 * configured one is used; with several configured, Box says `redirect_uri_missing`.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** What a localbox app has configured when its options name none: Hoist's own loopback listener. */
export const DEFAULT_REDIRECT_URIS: readonly string[] = ['http://127.0.0.1/callback'];

export type RedirectCheck = { kind: 'ok'; uri: string } | { kind: 'refused'; reason: string };

function loopbackUrl(uri: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  const loopback =
    url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && url.username === '' && url.password === '';
  return loopback ? url : undefined;
}

/** True when a loopback `given` equals the loopback `configured` in all but the port. */
function sameButPort(given: URL, configured: string): boolean {
  const wanted = loopbackUrl(configured);
  return (
    wanted !== undefined &&
    wanted.protocol === given.protocol &&
    wanted.hostname === given.hostname &&
    wanted.pathname === given.pathname &&
    wanted.search === given.search
  );
}

/** Checks a redirect_uri (undefined when the request had none) against the app's configured list. */
export function checkRedirectUri(given: string | undefined, configured: readonly string[]): RedirectCheck {
  if (given === undefined || given === '') {
    const only = configured.length === 1 ? configured[0] : undefined;
    return only !== undefined
      ? { kind: 'ok', uri: only }
      : { kind: 'refused', reason: 'redirect_uri_missing: the request names no redirect_uri' };
  }
  if (given.includes('#')) return { kind: 'refused', reason: 'redirect_uri_mismatch: a redirect_uri has no fragment' };
  const loopback = loopbackUrl(given);
  const matches =
    configured.includes(given) || (loopback !== undefined && configured.some((uri) => sameButPort(loopback, uri)));
  if (matches) return { kind: 'ok', uri: given };
  return {
    kind: 'refused',
    reason: 'redirect_uri_mismatch: the redirect_uri matches none configured for this app',
  };
}

/** The redirect with `params` added to the URI's own query. */
export function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
