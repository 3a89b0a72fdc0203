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

const decodeEntities = (text: string): string =>
  text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');

/** The consent page's form as a browser would read it: its action, hidden fields and buttons. */
export function readConsentForm(html: string): { action: string; fields: Record<string, string>; buttons: string[] } {
  const action = /<form method="post" action="([^"]*)">/.exec(html)?.[1];
  if (action === undefined) throw new Error('The consent page has no post form');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[decodeEntities(match[1] ?? '')] = decodeEntities(match[2] ?? '');
  }
  const buttons = [...html.matchAll(/<button type="submit" name="decision" value="([a-z]+)">([^<]*)<\/button>/g)].map(
    (match) => `${match[1]}:${match[2]}`,
  );
  return { action: decodeEntities(action), fields, buttons };
}

export interface AuthorizeRequest {
  redirectUri?: string;
  state?: string;
  clientId?: string;
  responseType?: string;
}

export function authorizeUrl(localbox: Box, request: AuthorizeRequest = {}): string {
  const url = new URL('/api/oauth2/authorize', localbox.url);
  url.searchParams.set('response_type', request.responseType ?? 'code');
  url.searchParams.set('client_id', request.clientId ?? localbox.clientId);
  if (request.redirectUri !== undefined) url.searchParams.set('redirect_uri', request.redirectUri);
  if (request.state !== undefined) url.searchParams.set('state', request.state);
  return url.toString();
}

/**
 * Does what a person's browser does: opens the consent page, reads its form, and posts it with
 * the chosen button. Returns the redirect's Location.
 */
export async function decideOnConsentPage(
  localbox: Box,
  request: AuthorizeRequest,
  decision: 'grant' | 'deny',
): Promise<URL> {
  const page = await fetch(authorizeUrl(localbox, request), { redirect: 'manual' });
  if (page.status !== 200) throw new Error(`The consent page answered ${page.status}`);
  const form = readConsentForm(await page.text());
  const body = new URLSearchParams({ ...form.fields, decision });
  const posted = await fetch(new URL(form.action, localbox.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: localbox.url },
    body: body.toString(),
  });
  const location = posted.headers.get('location');
  if (posted.status !== 302 || location === null) throw new Error(`The decision answered ${posted.status}`);
  return new URL(location);
}

/** Signs in through the consent page and exchanges the code; returns the token response body. */
export async function signInByConsentPage(localbox: Box, redirectUri: string): Promise<Record<string, unknown>> {
  const back = await decideOnConsentPage(localbox, { redirectUri, state: 'st' }, 'grant');
  const response = await postForm(localbox, '/oauth2/token', {
    grant_type: 'authorization_code',
    code: back.searchParams.get('code') ?? '',
    redirect_uri: redirectUri,
  });
  if (response.status !== 200) throw new Error(`The code exchange failed: ${JSON.stringify(response.body)}`);
  return response.body ?? {};
}
