import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignInFailedError, startBrowserSignIn } from '../../../electron/box/oauth/loopback-sign-in.ts';
import {
  clientCredentials,
  OAuthError,
  refreshTokens,
  revokeToken,
  SignInRequiredError,
} from '../../../electron/box/oauth/oauth-client.ts';
import { NetworkError } from '../../../electron/box/http-transport.ts';
import { oauthEndpointsFor } from '../../../electron/box/oauth/oauth-endpoints.ts';
import { forwardingProxy } from '../../helpers/capture-server.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { call } from '../../helpers/localbox-fixture.ts';
import { actInBrowser, appOf, browserSignIn } from '../../helpers/oauth-sign-in.ts';

test('OAuth 2.0 client against localbox', async (t) => {
  const localbox = await localboxFor(t, { user: { name: 'Ada Lovelace', login: 'ada@example.com' } });
  const endpoints = oauthEndpointsFor(localbox.url);
  const app = appOf(localbox);

  await t.test('signs in through the browser: consent, loopback redirect, code exchange', async () => {
    const signIn = await startBrowserSignIn({ endpoints, app, timeoutMs: 20_000 });
    const url = new URL(signIn.authorizeUrl);
    assert.equal(url.origin + url.pathname, `${localbox.url}/api/oauth2/authorize`);
    assert.equal(url.searchParams.get('client_id'), localbox.clientId);
    assert.match(url.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.ok((url.searchParams.get('state') ?? '').length >= 20, 'a fresh random state');

    // A redirect with another state (an old tab) is turned away; the sign-in keeps waiting.
    const redirect = new URL(url.searchParams.get('redirect_uri')!);
    redirect.searchParams.set('code', 'stolen');
    redirect.searchParams.set('state', 'not-the-state');
    assert.equal((await fetch(redirect)).status, 400);

    const browser = await actInBrowser(signIn.authorizeUrl);
    assert.equal(browser.status, 200);
    assert.match(browser.text, /Signed in\. You can close this tab and return to Hoist\./);
    assert.doesNotMatch(browser.text, /<script/i);
    const tokens = await signIn.tokens;
    assert.ok(tokens.accessToken && tokens.refreshToken);
    assert.ok(tokens.expiresAtMs > Date.now());
    const me = await call({ url: localbox.url, token: tokens.accessToken }, 'GET', '/2.0/users/me');
    assert.equal(me.body?.['login'], 'ada@example.com');
    // Exactly one redirect is taken: the listener is closed now.
    await assert.rejects(fetch(browser.redirect));
  });

  await t.test('a denied consent ends the sign-in with a reason', async () => {
    const signIn = await startBrowserSignIn({ endpoints, app, timeoutMs: 20_000 });
    const browser = await actInBrowser(signIn.authorizeUrl, 'deny');
    assert.match(browser.text, /not completed/);
    await assert.rejects(
      signIn.tokens,
      (error: Error) => error instanceof SignInFailedError && error.reason === 'denied',
    );
  });

  await t.test('a sign-in nobody completes times out with a sentence', async () => {
    const signIn = await startBrowserSignIn({ endpoints, app, timeoutMs: 50 });
    await assert.rejects(signIn.tokens, /no sign-in arrived from the browser within/);
  });

  await t.test('refresh rotates the refresh token; the used one is invalid_grant', async () => {
    const first = await browserSignIn(localbox);
    const second = await refreshTokens(endpoints, app, first.refreshToken!);
    assert.notEqual(second.refreshToken, first.refreshToken);
    await assert.rejects(refreshTokens(endpoints, app, first.refreshToken!), SignInRequiredError);
    await revokeToken(endpoints, app, second.refreshToken!);
    await assert.rejects(refreshTokens(endpoints, app, second.refreshToken!), (error: Error) => {
      assert.ok(error instanceof SignInRequiredError);
      assert.doesNotMatch(error.message, new RegExp(second.refreshToken!), 'the token is not in the message');
      return true;
    });
    const revoked = await call({ url: localbox.url, token: second.accessToken }, 'GET', '/2.0/users/me');
    assert.equal(revoked.status, 401, 'revoking the refresh token revoked its access token too');
  });

  await t.test('an ended sign-in is read as one whatever content-type labels the error', async () => {
    for (const label of [
      'text/plain',
      'text/html; charset=utf-8',
      'Application/JSON',
      'application/json ; charset=utf-8',
      '',
    ]) {
      const proxy = await forwardingProxy(t, localbox.url, { errorContentType: label });
      const viaProxy = oauthEndpointsFor(proxy.url);
      const first = await browserSignIn(localbox);
      await refreshTokens(viaProxy, app, first.refreshToken!);
      await assert.rejects(refreshTokens(viaProxy, app, first.refreshToken!), SignInRequiredError, label);
    }
  });

  await t.test('client credentials for a user or the enterprise', async () => {
    const tokens = await clientCredentials(endpoints, app, { type: 'enterprise', id: '1' });
    assert.equal(tokens.refreshToken, undefined);
    const me = await call({ url: localbox.url, token: tokens.accessToken }, 'GET', '/2.0/users/me');
    assert.equal(me.status, 200);
  });

  await t.test(
    'a token server that is busy (503, 429) is waited for like any server, not a sign-in prompt',
    async () => {
      for (const status of [503, 429]) {
        localbox.faults.add({ on: 'token', action: { kind: 'status', status, retryAfterSeconds: 1 } });
        await assert.rejects(
          clientCredentials(endpoints, app, { type: 'enterprise', id: '1' }),
          (error: Error) => error instanceof NetworkError && error.message.includes(String(status)),
        );
      }
      localbox.faults.clear();
    },
  );

  await t.test('a wrong client secret is a clear OAuthError, not a sign-in prompt', async () => {
    await assert.rejects(
      clientCredentials(endpoints, { clientId: app.clientId, clientSecret: 'wrong' }, { type: 'enterprise', id: '1' }),
      (error: Error) => error instanceof OAuthError && /invalid_client/.test(error.message),
    );
  });

  await t.test('secrets never go over plain http to another machine', async () => {
    await assert.rejects(
      clientCredentials(oauthEndpointsFor('http://example.com'), app, { type: 'enterprise', id: '1' }),
      /only over https/,
    );
  });
});
