import { isBoxApi } from './oauth/oauth-endpoints.ts';

/**
 * Where a token may be sent: the one rule BoxClient, a sign-in's bound origins and the journal's
 * restored session URLs all follow (DESIGN.md section 8).
 *
 * A token goes to the origins it was issued for: a server's API origin and its upload origin.
 * Box itself is the one exception, because Box's own description of its API serves the upload
 * session calls from a variable host (`https://{box-upload-server}/api/2.0`, default
 * upload.box.com) and its preflight answers with URLs on hosts such as upload-las.app.box.com:
 * a session Box opens may name any of Box's hosts. A token Box issued is Box's to receive on any
 * of them, so a token bound to https://api.box.com may also go to any https://<name>.box.com on
 * the default port. Nothing else widens: a token of any other server goes to its two origins only.
 */

/** One DNS label as Box names its hosts: letters, digits and inner hyphens; no punycode (IDN). */
const BOX_LABEL = /^(?!xn--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The URL parsed, or undefined when it is not one. */
function parsed(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * True for one of Box's own hosts: https, a name ending in `.box.com` (at least one label before
 * it), the default port, no user name or password. Look-alikes (box.com.evil.example,
 * evilbox.com), plain http, another port, and internationalised names are not.
 */
export function isBoxHost(url: string): boolean {
  const at = parsed(url);
  if (!at || at.protocol !== 'https:' || at.port !== '' || at.username !== '' || at.password !== '') return false;
  const labels = at.hostname.split('.');
  if (labels.length < 3 || labels.at(-1) !== 'com' || labels.at(-2) !== 'box') return false;
  return labels.slice(0, -2).every((label) => BOX_LABEL.test(label));
}

/** True when the origins name Box itself (https://api.box.com): its token may go to any Box host. */
export function isIssuedByBox(issuedFor: readonly string[]): boolean {
  return issuedFor.some((origin) => isBoxApi(origin) && parsed(origin)?.protocol === 'https:');
}

/**
 * The rule: may a token issued for `issuedFor` (a server's API and upload origins) be sent to
 * `url`? Yes for those origins; for a token issued by Box, also for any of Box's own hosts. A URL
 * carrying a user name or password is refused everywhere: server URLs never have one
 * (shared/server-url.ts), so only a crafted answer or an edited journal would.
 */
export function tokenMayGoTo(url: string, issuedFor: readonly string[]): boolean {
  const at = parsed(url);
  if (!at || at.username !== '' || at.password !== '') return false;
  if (issuedFor.includes(at.origin)) return true;
  return isIssuedByBox(issuedFor) && isBoxHost(url);
}

/** The origins of a server's API and upload base URLs, deduplicated (API first). */
export function serverOrigins(server: { apiBaseUrl: string; uploadBaseUrl: string }): string[] {
  return [...new Set([new URL(server.apiBaseUrl).origin, new URL(server.uploadBaseUrl).origin])];
}

/** The origins in words, for a refusal: "https://a and https://b", plus Box's hosts for Box. */
export function describeTokenOrigins(issuedFor: readonly string[]): string {
  const named = issuedFor.join(' and ') || 'another server';
  return isIssuedByBox(issuedFor) ? `${named} (and Box's other https://*.box.com hosts)` : named;
}
