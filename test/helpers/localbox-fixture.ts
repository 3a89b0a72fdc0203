import { startLocalbox, type LocalboxHandle, type LocalboxOptions } from '../../electron/localbox/localbox.ts';

/** A localbox in this process for one test, stopped when the test ends; its /_localbox/ controls are on. */
export async function localboxFor(
  t: { after(cleanup: () => unknown): void },
  options: LocalboxOptions = {},
): Promise<LocalboxHandle> {
  const localbox = await startLocalbox({ adminRoutes: true, ...options });
  t.after(() => localbox.stop());
  return localbox;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or undefined for an empty body. */
  body: Record<string, unknown> | undefined;
}

export interface RawRequest {
  json?: unknown;
  body?: Uint8Array | string;
  headers?: Record<string, string>;
  token?: string | null;
}

/**
 * A plain HTTP call to localbox with fetch, for tests of the server itself (the engine's own
 * client is tested against localbox separately).
 */
export async function call(
  localbox: Pick<LocalboxHandle, 'url' | 'token'>,
  method: string,
  path: string,
  request: RawRequest = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...request.headers };
  const token = request.token === undefined ? localbox.token : request.token;
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  let body: Uint8Array | string | undefined = request.body;
  if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers['content-type'] = 'application/json';
  }
  const url = path.startsWith('http') ? path : `${localbox.url}${path}`;
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}
