/**
 * The one rule for API and upload URLs, in the app and the CLI: parsed by the URL parser (so
 * `http://a:99999` is refused before it is saved), https, or http only to this machine.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Whether a URL's hostname (as the URL parser writes it) is this machine. */
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOSTS.has(hostname.toLowerCase());

/** Why `value` cannot be a server URL, in words; undefined when it can. */
export function serverUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a full URL such as https://api.box.com';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.search || url.hash) return 'must not carry a query or fragment';
  // "api.box.com." reaches Box too, but is not the name Box's rules below (and the token's
  // origins) know, so a Box sign-in could be paired with any upload host.
  if (url.hostname.endsWith('.')) return 'must not end its host name with a dot';
  // Box's reference writes https://api.box.com/2.0/...: Hoist adds the /2.0 itself.
  if (/\/2\.0\/*$/.test(url.pathname))
    return 'must not end in /2.0: Hoist adds it (https://api.box.com, https://upload.box.com/api)';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return url.protocol === 'http:'
    ? 'must use https (plain http is allowed only for 127.0.0.1, ::1 or localhost)'
    : 'must be an https URL';
}

const BOX_API_ORIGIN = 'https://api.box.com';
const BOX_UPLOAD_ORIGIN = 'https://upload.box.com';

/**
 * Why this API URL and upload URL cannot go together, in words; undefined when they can. Box's
 * API takes uploads only at Box's upload host, so a Box token is never sent to another origin.
 * A URL that cannot be parsed is serverUrlProblem's to report.
 */
export function serverPairProblem(apiUrl: string, uploadUrl: string): string | undefined {
  const origin = (url: string): string | undefined => (URL.canParse(url) ? new URL(url).origin : undefined);
  const uploadOrigin = origin(uploadUrl);
  if (origin(apiUrl) !== BOX_API_ORIGIN || uploadOrigin === undefined) return undefined;
  return uploadOrigin === BOX_UPLOAD_ORIGIN
    ? undefined
    : `uploads for ${BOX_API_ORIGIN} go only to ${BOX_UPLOAD_ORIGIN}, not ${uploadOrigin}`;
}
