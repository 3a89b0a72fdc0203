import type { LocalboxHandle } from '../../electron/localbox/localbox.ts';
import { startBrowserSignIn } from '../../electron/box/oauth/loopback-sign-in.ts';
import { oauthEndpointsFor } from '../../electron/box/oauth/oauth-endpoints.ts';
import type { OAuthApp, TokenSet } from '../../electron/box/oauth/oauth-client.ts';
import type { StoredSignIn } from '../../electron/box/oauth/token-store.ts';
import { readConsentForm } from './oauth-calls.ts';

type Box = Pick<LocalboxHandle, 'url' | 'clientId' | 'clientSecret'>;

export const appOf = (localbox: Box): OAuthApp => ({
  clientId: localbox.clientId,
  clientSecret: localbox.clientSecret,
});

/**
 * Plays the person's browser: opens the authorize URL the client made, answers localbox's consent
 * form with `decision`, then follows the redirect to the client's loopback listener. Returns the
 * page the listener answered.
 */
export async function actInBrowser(
  authorizeUrl: string,
  decision: 'grant' | 'deny' = 'grant',
): Promise<{ status: number; text: string; redirect: URL }> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  if (page.status !== 200) throw new Error(`the consent page answered ${page.status}`);
  const form = readConsentForm(await page.text());
  const origin = new URL(authorizeUrl).origin;
  const posted = await fetch(new URL(form.action, authorizeUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({ ...form.fields, decision }).toString(),
  });
  const location = posted.headers.get('location');
  if (posted.status !== 302 || location === null) throw new Error(`the decision answered ${posted.status}`);
  const redirect = new URL(location);
  const back = await fetch(redirect);
  return { status: back.status, text: await back.text(), redirect };
}

/** A full browser sign-in to localbox through the client's own loopback listener. */
export async function browserSignIn(localbox: Box): Promise<TokenSet> {
  const signIn = await startBrowserSignIn({
    endpoints: oauthEndpointsFor(localbox.url),
    app: appOf(localbox),
    timeoutMs: 20_000,
  });
  await actInBrowser(signIn.authorizeUrl);
  return signIn.tokens;
}

/** What the app or CLI stores after a sign-in to localbox. */
export function storedFor(localbox: Box, tokens: TokenSet): StoredSignIn {
  const origin = new URL(localbox.url).origin;
  return { ...tokens, apiOrigin: origin, uploadOrigin: origin, issuedAtMs: Date.now() };
}
