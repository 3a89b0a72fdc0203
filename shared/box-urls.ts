/** Box's hosts, and the upload URL a person most likely means for an API URL. */
export const BOX_API_URL = 'https://api.box.com';
export const BOX_UPLOAD_URL = 'https://upload.box.com/api';

/** Whether a server URL is Box's own API (https://api.box.com, on its default port). */
export function isBoxApiUrl(url: string): boolean {
  try {
    return new URL(url).origin === BOX_API_URL;
  } catch {
    return false;
  }
}

/** Box's upload host is separate from its API host; any other server serves uploads under /api. */
export function defaultUploadUrl(apiUrl: string): string {
  const trimmed = apiUrl.replace(/\/+$/, '');
  try {
    return new URL(trimmed).host === 'api.box.com' ? BOX_UPLOAD_URL : `${trimmed}/api`;
  } catch {
    return `${trimmed}/api`;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The origin of a URL on this machine (a local Box), or undefined for any other or a malformed one. */
export function loopbackOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return LOOPBACK_HOSTS.has(parsed.hostname) ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A file's page in a browser ("Open on Box"): Box's web app at https://app.box.com/file/{id} for
 * Box's API, and the same path on a server of this machine (localbox serves it). Another server's
 * web pages are unknown: undefined.
 */
export function fileWebUrl(apiBaseUrl: string, fileId: string): string | undefined {
  if (!/^\d+$/.test(fileId)) return undefined;
  let api: URL;
  try {
    api = new URL(apiBaseUrl);
  } catch {
    return undefined;
  }
  if (api.protocol === 'https:' && api.host === 'api.box.com') return `https://app.box.com/file/${fileId}`;
  if (LOOPBACK_HOSTS.has(api.hostname)) return `${api.origin}/file/${fileId}`;
  return undefined;
}

/**
 * Whether Hoist may hand `url` to the system browser as a file's page or shared link: https on
 * app.box.com (Box's web app and its shared links), or a page of the local Box at `localOrigin`.
 */
export function isBoxWebUrl(url: string, localOrigin?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (
    parsed.protocol === 'https:' &&
    (parsed.host === 'app.box.com' || /^[a-z0-9-]+\.app\.box\.com$/.test(parsed.host))
  )
    return true;
  return localOrigin !== undefined && LOOPBACK_HOSTS.has(parsed.hostname) && parsed.origin === localOrigin;
}
