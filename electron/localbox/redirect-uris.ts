/**
 * Box's redirect_uri rules (box-api.md section 12): a loopback URI (127.0.0.1, [::1],
 * localhost) over plain http may use any port and any path, as a desktop app's loopback
 * listener needs (RFC 8252 section 7.3); any other URI must equal one the app configured,
 * exactly. With no redirect_uri, the app's only configured one is used; with several
 * configured, Box says `redirect_uri_missing`.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export type RedirectCheck = { kind: 'ok'; uri: string } | { kind: 'refused'; reason: string };

function isLoopback(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && url.username === '' && url.password === '';
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
  if (isLoopback(given) || configured.includes(given)) return { kind: 'ok', uri: given };
  return {
    kind: 'refused',
    reason: 'redirect_uri_mismatch: the redirect_uri is neither a loopback URI nor one configured for this app',
  };
}

/** The redirect with `params` added to the URI's own query. */
export function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
