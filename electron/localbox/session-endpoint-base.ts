/** The path localbox serves upload sessions under; a session endpoint base must end with it. */
const SESSION_API_PATH = '/api/2.0';

/**
 * Reads the `sessionEndpointBase` option (`--session-endpoint-base`): the URL localbox's
 * `session_endpoints` start with instead of the host the request came in on. Box's own API
 * description serves session calls from `https://{box-upload-server}/api/2.0` (a variable host,
 * default upload.box.com), so a real session may name another Box host; tests route that host to
 * this same localbox. Returns the base without a trailing slash and the host name localbox must
 * then accept; throws a sentence when the URL cannot be one.
 */
export function parseSessionEndpointBase(value: string): { base: string; hostName: string } {
  if (!URL.canParse(value)) throw new Error(`the session endpoint base must be an absolute URL, not "${value}"`);
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`the session endpoint base must be an http or https URL, not "${value}"`);
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    throw new Error(`the session endpoint base takes no user name, password, query or fragment: "${value}"`);
  if (url.pathname.replace(/\/+$/, '') !== SESSION_API_PATH)
    throw new Error(
      `the session endpoint base must end in ${SESSION_API_PATH} (where localbox serves sessions), not "${value}"`,
    );
  return { base: `${url.origin}${SESSION_API_PATH}`, hostName: url.hostname.toLowerCase() };
}
