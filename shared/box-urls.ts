/** Box's hosts, and the upload URL a person most likely means for an API URL. */
export const BOX_API_URL = 'https://api.box.com';
export const BOX_UPLOAD_URL = 'https://upload.box.com/api';

/** Box's upload host is separate from its API host; any other server serves uploads under /api. */
export function defaultUploadUrl(apiUrl: string): string {
  const trimmed = apiUrl.replace(/\/+$/, '');
  try {
    return new URL(trimmed).host === 'api.box.com' ? BOX_UPLOAD_URL : `${trimmed}/api`;
  } catch {
    return `${trimmed}/api`;
  }
}
