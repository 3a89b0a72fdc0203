import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { startBrowserSignIn } from '../../../electron/box/oauth/loopback-sign-in.ts';
import { oauthEndpointsFor } from '../../../electron/box/oauth/oauth-endpoints.ts';
import {
  authorizeUrl,
  decideOnConsentPage,
  postForm,
  readConsentForm,
  signInByConsentPage,
} from '../../helpers/oauth-calls.ts';

const LOOPBACK = 'http://127.0.0.1:49152/callback';

describe('localbox OAuth consent page and code flow', () => {
  it('signs in end to end by posting the consent form, then uploads with the access token', async (t) => {
    const localbox = await localboxFor(t);
    const page = await fetch(authorizeUrl(localbox, { redirectUri: LOOPBACK, state: 'abc' }));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /form-action 'self' http:\/\/127\.0\.0\.1:49152/);
    assert.match(csp, /frame-ancestors 'none'/);
    const html = await page.text();
    assert.doesNotMatch(
      html,
      /<script|<link|src=|https?:\/\/(?!127\.0\.0\.1:49152)/i,
      'no script, no external resource',
    );
    const form = readConsentForm(html);
    assert.equal(form.action, '/api/oauth2/authorize');
    assert.deepEqual(form.buttons, ['grant:Grant access to Box', 'deny:Deny']);
    assert.deepEqual(form.fields, {
      response_type: 'code',
      client_id: localbox.clientId,
      redirect_uri: LOOPBACK,
      state: 'abc',
    });

    const back = await decideOnConsentPage(localbox, { redirectUri: LOOPBACK, state: 'abc' }, 'grant');
    assert.equal(`${back.origin}${back.pathname}`, LOOPBACK);
    assert.equal(back.searchParams.get('state'), 'abc');
    const code = back.searchParams.get('code') ?? '';
    assert.match(code, /^[0-9a-f]{32,}$/);

    const tokens = await postForm(localbox, '/oauth2/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: LOOPBACK,
    });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(typeof tokens.body?.['refresh_token'], 'string');
    assert.equal(tokens.body?.['expires_in'], 3600);
    const session = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
      token: String(tokens.body?.['access_token']),
      json: { folder_id: '0', file_size: 20_000_000, file_name: 'signed-in.bin' },
    });
    assert.equal(session.status, 201);
    assert.equal(localbox.stats().tokenRequests.authorization_code, 1);
  });

  it('redirects a denial as access_denied with the state', async (t) => {
    const localbox = await localboxFor(t);
    const back = await decideOnConsentPage(localbox, { redirectUri: LOOPBACK, state: 'xyz' }, 'deny');
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 'xyz');
    assert.equal(back.searchParams.get('code'), null);
  });

  it('makes codes single use, 30 s long, and bound to their redirect_uri when one is sent', async (t) => {
    const clock = new ManualClock();
    const localbox = await localboxFor(t, { nowMs: () => clock.nowMs() });
    const codeFor = async () =>
      (await decideOnConsentPage(localbox, { redirectUri: LOOPBACK }, 'grant')).searchParams.get('code') ?? '';
    const exchange = (code: string, redirectUri = LOOPBACK) =>
      postForm(localbox, '/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: redirectUri });

    const code = await codeFor();
    assert.equal((await exchange(code)).status, 200);
    const reused = await exchange(code);
    assert.equal(reused.status, 400);
    assert.equal(reused.body?.['error'], 'invalid_grant');

    const late = await codeFor();
    clock.advance(31_000);
    const expired = await exchange(late);
    assert.equal(expired.status, 400);
    assert.equal(expired.body?.['error'], 'invalid_grant');

    const justInTime = await codeFor();
    clock.advance(29_000);
    assert.equal((await exchange(justInTime)).status, 200);

    const elsewhere = await codeFor();
    const mismatch = await exchange(elsewhere, 'http://127.0.0.1:1/other');
    assert.equal(mismatch.body?.['error'], 'invalid_grant');
    assert.equal((await exchange(elsewhere)).body?.['error'], 'invalid_grant', 'a failed exchange spends the code');

    const withoutUri = await codeFor();
    const noUri = await postForm(localbox, '/oauth2/token', { grant_type: 'authorization_code', code: withoutUri });
    assert.equal(noUri.status, 200, "Box's own SDK sends no redirect_uri with the code");
  });

  it('rotates refresh tokens: each works once, the new pair works', async (t) => {
    const localbox = await localboxFor(t);
    const first = await signInByConsentPage(localbox, LOOPBACK);
    const refresh = (token: unknown) =>
      postForm(localbox, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: String(token) });
    const second = await refresh(first['refresh_token']);
    assert.equal(second.status, 200);
    assert.notEqual(second.body?.['refresh_token'], first['refresh_token']);
    assert.notEqual(second.body?.['access_token'], first['access_token']);
    const replay = await refresh(first['refresh_token']);
    assert.equal(replay.status, 400);
    assert.deepEqual(replay.body, {
      error: 'invalid_grant',
      error_description: 'The refresh token is invalid, expired, revoked or already used',
    });
    const third = await refresh(second.body?.['refresh_token']);
    assert.equal(third.status, 200);
    const folder = await call(localbox, 'GET', '/2.0/folders/0', { token: String(third.body?.['access_token']) });
    assert.equal(folder.status, 200);
    assert.equal(localbox.stats().tokenRequests.refresh_token, 3);
  });

  it("accepts the client's own authorize URL with the default redirect URI list, on any port", async (t) => {
    const localbox = await localboxFor(t);
    const signIn = await startBrowserSignIn({
      endpoints: oauthEndpointsFor(localbox.url),
      app: { clientId: localbox.clientId, clientSecret: localbox.clientSecret },
      timeoutMs: 20_000,
    });
    t.after(() => signIn.cancel());
    const page = await fetch(signIn.authorizeUrl, { redirect: 'manual' });
    assert.equal(page.status, 200, 'http://127.0.0.1/callback is configured by default; the port may differ');
    const refusals: Array<[string, string]> = [
      ['http://127.0.0.1:49152/other', 'another path'],
      ['http://localhost:49152/callback', 'localhost does not match a configured 127.0.0.1'],
      ['http://[::1]:49152/callback', '[::1] does not match a configured 127.0.0.1'],
      ['http://127.0.0.1:49152/callback?x=1', 'another query'],
      ['https://127.0.0.1:49152/callback', 'another scheme'],
    ];
    for (const [uri, why] of refusals) {
      const refused = await fetch(authorizeUrl(localbox, { redirectUri: uri }), { redirect: 'manual' });
      assert.equal(refused.status, 400, why);
      assert.equal(refused.headers.get('location'), null, 'never a redirect to an unchecked URI');
      assert.match(await refused.text(), /redirect_uri_mismatch/, why);
    }
  });

  it('matches loopback redirect URIs on all but the port, others exactly; given URIs replace the default', async (t) => {
    const configured = 'https://app.example.com/box/callback';
    const localbox = await localboxFor(t, {
      redirectUris: [configured, 'http://localhost/x?y=1', 'http://[::1]/'],
    });
    for (const uri of ['http://[::1]:65000/', 'http://localhost:8080/x?y=1', 'http://localhost/x?y=1', configured]) {
      const page = await fetch(authorizeUrl(localbox, { redirectUri: uri }), { redirect: 'manual' });
      assert.equal(page.status, 200, uri);
    }
    const withoutUri = await fetch(authorizeUrl(localbox, {}), { redirect: 'manual' });
    assert.equal(withoutUri.status, 400, 'several configured: the request must name one');
    assert.match(await withoutUri.text(), /redirect_uri_missing/);
    for (const uri of [
      'http://127.0.0.1:49152/callback',
      'https://app.example.com/box/callback/',
      'https://127.0.0.1:443/callback',
      'http://evil.example/callback',
      'http://localhost:8080/x',
      'http://[::1]:1/a#fragment',
    ]) {
      const page = await fetch(authorizeUrl(localbox, { redirectUri: uri }), { redirect: 'manual' });
      assert.equal(page.status, 400, uri);
      assert.equal(page.headers.get('location'), null, 'never a redirect to an unchecked URI');
      assert.match(await page.text(), /redirect_uri_mismatch/);
    }
    const single = await localboxFor(t, { redirectUris: [configured] });
    const back = await decideOnConsentPage(single, {}, 'grant');
    assert.equal(`${back.origin}${back.pathname}`, configured, 'the one configured URI is the default');
  });

  it('refuses a wrong client and answers a wrong response_type by redirect', async (t) => {
    const localbox = await localboxFor(t);
    const unknownClient = await fetch(authorizeUrl(localbox, { redirectUri: LOOPBACK, clientId: 'someone-else' }), {
      redirect: 'manual',
    });
    assert.equal(unknownClient.status, 400);
    assert.equal(unknownClient.headers.get('location'), null);
    const wrongType = await fetch(
      authorizeUrl(localbox, { redirectUri: LOOPBACK, responseType: 'token', state: 's' }),
      {
        redirect: 'manual',
      },
    );
    assert.equal(wrongType.status, 302);
    const location = new URL(wrongType.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'unsupported_response_type');
    assert.equal(location.searchParams.get('state'), 's');
  });

  it('escapes everything it echoes and returns the state unchanged', async (t) => {
    const redirectUri = 'http://127.0.0.1:5000/cb?next="><img src=x>';
    const configured = 'http://127.0.0.1/cb?next="><img src=x>';
    const localbox = await localboxFor(t, { clientName: '<b>Evil & Co</b>', redirectUris: [configured] });
    const state = `"><script>alert(1)</script>'&`;
    const html = await (await fetch(authorizeUrl(localbox, { redirectUri, state }))).text();
    assert.doesNotMatch(html, /<script|<img|<b>/);
    assert.match(html, /&#60;b&#62;Evil &#38; Co&#60;\/b&#62;/);
    const back = await decideOnConsentPage(localbox, { redirectUri, state }, 'grant');
    assert.equal(back.searchParams.get('state'), state);
    assert.equal(back.searchParams.get('next'), '"><img src=x>');
  });

  it('refuses a consent form posted from another site', async (t) => {
    const localbox = await localboxFor(t);
    const form = new URLSearchParams({
      response_type: 'code',
      client_id: localbox.clientId,
      redirect_uri: LOOPBACK,
      decision: 'grant',
    });
    const posted = await fetch(`${localbox.url}/api/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
      body: form.toString(),
    });
    assert.equal(posted.status, 403);
    assert.equal(posted.headers.get('location'), null);
  });
});
