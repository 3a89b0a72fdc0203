import type { LocalboxHandle } from '../../electron/localbox/localbox.ts';

type Box = Pick<LocalboxHandle, 'url' | 'clientId' | 'clientSecret'>;

export interface FormResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or undefined for an empty body. */
  body: Record<string, unknown> | undefined;
}

/**
 * A form-encoded POST to localbox's /oauth2/token or /oauth2/revoke, with the client's
 * credentials in the body (Box's way) unless `credentials` says otherwise.
 */
export async function postForm(
  localbox: Box,
  path: '/oauth2/token' | '/oauth2/revoke',
  fields: Record<string, string>,
  credentials: 'body' | 'basic' | 'none' = 'body',
): Promise<FormResponse> {
  const form = new URLSearchParams(fields);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (credentials === 'body') {
    form.set('client_id', localbox.clientId);
    form.set('client_secret', localbox.clientSecret);
  }
  if (credentials === 'basic') {
    const encode = (value: string) => encodeURIComponent(value);
    headers['authorization'] =
      `Basic ${Buffer.from(`${encode(localbox.clientId)}:${encode(localbox.clientSecret)}`).toString('base64')}`;
  }
  const response = await fetch(`${localbox.url}${path}`, { method: 'POST', headers, body: form.toString() });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

/** A client_credentials grant for localbox's user; returns the access token. */
export async function clientCredentialsToken(localbox: Box): Promise<string> {
  const response = await postForm(localbox, '/oauth2/token', {
    grant_type: 'client_credentials',
    box_subject_type: 'enterprise',
    box_subject_id: '1',
  });
  if (response.status !== 200) throw new Error(`client_credentials failed: ${JSON.stringify(response.body)}`);
  return String(response.body?.['access_token']);
}
