import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LocalboxHandle } from '../../../electron/localbox/localbox.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { clientCredentialsToken, postForm, signInByConsentPage } from '../../helpers/oauth-calls.ts';

const LOOPBACK = 'http://127.0.0.1:49153/callback';

const folderStatus = async (localbox: LocalboxHandle, token: unknown) =>
  (await call(localbox, 'GET', '/2.0/folders/0', { token: String(token) })).status;

const refresh = (localbox: LocalboxHandle, token: unknown) =>
  postForm(localbox, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: String(token) });

describe('localbox OAuth revocation', () => {
  it('revokes an access token together with its refresh token', async (t) => {
    const localbox = await localboxFor(t);
    const tokens = await signInByConsentPage(localbox, LOOPBACK);
    const revoked = await postForm(localbox, '/oauth2/revoke', { token: String(tokens['access_token']) });
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body, undefined, 'an empty body');
    assert.equal(await folderStatus(localbox, tokens['access_token']), 401);
    assert.equal((await refresh(localbox, tokens['refresh_token'])).body?.['error'], 'invalid_grant');
  });

  it('revokes a refresh token together with the access token issued with it', async (t) => {
    const localbox = await localboxFor(t);
    const tokens = await signInByConsentPage(localbox, LOOPBACK);
    assert.equal(await folderStatus(localbox, tokens['access_token']), 200);
    const revoked = await postForm(localbox, '/oauth2/revoke', { token: String(tokens['refresh_token']) });
    assert.equal(revoked.status, 200);
    assert.equal(await folderStatus(localbox, tokens['access_token']), 401);
    assert.equal((await refresh(localbox, tokens['refresh_token'])).status, 400);
  });

  it('answers 200 for an unknown token, and refuses a wrong client or a missing token', async (t) => {
    const localbox = await localboxFor(t);
    const tokens = await signInByConsentPage(localbox, LOOPBACK);
    assert.equal((await postForm(localbox, '/oauth2/revoke', { token: 'never-issued' })).status, 200);
    const wrongClient = await postForm(
      localbox,
      '/oauth2/revoke',
      { token: String(tokens['access_token']), client_id: localbox.clientId, client_secret: 'wrong' },
      'none',
    );
    assert.equal(wrongClient.status, 400);
    assert.equal(wrongClient.body?.['error'], 'invalid_client');
    assert.equal(await folderStatus(localbox, tokens['access_token']), 200, 'nothing was revoked');
    const noToken = await postForm(localbox, '/oauth2/revoke', {});
    assert.equal(noToken.body?.['error'], 'invalid_request');
  });

  it('revokes every OAuth token at once, in process and over HTTP; the fixed token keeps working', async (t) => {
    const localbox = await localboxFor(t);
    const signedIn = await signInByConsentPage(localbox, LOOPBACK);
    const service = await clientCredentialsToken(localbox);
    localbox.revokeAllTokens();
    assert.equal(await folderStatus(localbox, signedIn['access_token']), 401);
    assert.equal(await folderStatus(localbox, service), 401);
    assert.equal((await refresh(localbox, signedIn['refresh_token'])).body?.['error'], 'invalid_grant');
    assert.equal(await folderStatus(localbox, localbox.token), 200);

    const again = await signInByConsentPage(localbox, LOOPBACK);
    assert.equal((await call(localbox, 'POST', '/_localbox/revoke-tokens')).status, 204);
    assert.equal(await folderStatus(localbox, again['access_token']), 401);
    assert.equal(await folderStatus(localbox, localbox.token), 200);
  });

  it('spends the refresh token when the answer of its refresh is lost', async (t) => {
    const localbox = await localboxFor(t);
    const tokens = await signInByConsentPage(localbox, LOOPBACK);
    localbox.faults.add({ on: 'token', action: { kind: 'lose-response' } });
    await assert.rejects(refresh(localbox, tokens['refresh_token']));
    const retried = await refresh(localbox, tokens['refresh_token']);
    assert.equal(retried.status, 400);
    assert.equal(
      retried.body?.['error'],
      'invalid_grant',
      'Box rotates refresh tokens: the lost answer held the new one',
    );
    assert.equal(localbox.stats().tokenRequests.refresh_token, 2);
  });
});
