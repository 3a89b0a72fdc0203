import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { clientCredentialsToken, postForm } from '../../helpers/oauth-calls.ts';

const ACCESS_TOKEN_TTL_SECONDS = 60;

describe('localbox OAuth token endpoint', () => {
  it('grants client_credentials in Box AccessToken shape, without a refresh token', async (t) => {
    const localbox = await localboxFor(t, { clientId: 'the-client', clientSecret: 'the-secret' });
    assert.equal(localbox.clientId, 'the-client');
    const response = await postForm(localbox, '/oauth2/token', {
      grant_type: 'client_credentials',
      box_subject_type: 'user',
      box_subject_id: '1',
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = response.body ?? {};
    assert.deepEqual(Object.keys(body).sort(), [
      'access_token',
      'expires_in',
      'issued_token_type',
      'restricted_to',
      'token_type',
    ]);
    assert.equal(body['expires_in'], 3600);
    assert.equal(body['token_type'], 'bearer');
    assert.equal(body['issued_token_type'], 'urn:ietf:params:oauth:token-type:access_token');
    assert.deepEqual(body['restricted_to'], []);
    const folder = await call(localbox, 'GET', '/2.0/folders/0', { token: String(body['access_token']) });
    assert.equal(folder.status, 200);
  });

  it('refuses HTTP Basic client credentials as Box does, and wrong ones in OAuth2Error shape', async (t) => {
    const strict = await localboxFor(t);
    const fields = { grant_type: 'client_credentials', box_subject_type: 'enterprise', box_subject_id: '7' };
    const basic = await postForm(strict, '/oauth2/token', fields, 'basic');
    assert.equal(basic.status, 400, 'Box takes client_id and client_secret in the body only');
    assert.deepEqual(Object.keys(basic.body ?? {}).sort(), ['error', 'error_description']);
    assert.equal(basic.body?.['error'], 'invalid_client');
    assert.equal((await postForm(strict, '/oauth2/revoke', { token: 'x' }, 'basic')).body?.['error'], 'invalid_client');

    const localbox = await localboxFor(t, { acceptBasicClientAuth: true });
    assert.equal((await postForm(localbox, '/oauth2/token', fields, 'basic')).status, 200, 'when told to take Basic');
    const wrongSecret = await postForm(
      localbox,
      '/oauth2/token',
      {
        ...fields,
        client_id: localbox.clientId,
        client_secret: `${localbox.clientSecret}x`,
      },
      'none',
    );
    assert.equal(wrongSecret.status, 400);
    assert.deepEqual(Object.keys(wrongSecret.body ?? {}).sort(), ['error', 'error_description']);
    assert.equal(wrongSecret.body?.['error'], 'invalid_client');
    const wrongBasic = await postForm({ ...localbox, clientSecret: 'nope' }, '/oauth2/token', fields, 'basic');
    assert.equal(wrongBasic.status, 401);
    assert.equal(wrongBasic.body?.['error'], 'invalid_client');
  });

  it('answers bad requests as Box: unsupported_grant_type, invalid_request, invalid_grant', async (t) => {
    const localbox = await localboxFor(t);
    const jwt = await postForm(localbox, '/oauth2/token', {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    });
    assert.equal(jwt.status, 400);
    assert.equal(jwt.body?.['error'], 'unsupported_grant_type');
    const noGrant = await postForm(localbox, '/oauth2/token', {});
    assert.equal(noGrant.body?.['error'], 'invalid_request');
    const noSubject = await postForm(localbox, '/oauth2/token', { grant_type: 'client_credentials' });
    assert.equal(noSubject.body?.['error'], 'invalid_request');
    const otherUser = await postForm(localbox, '/oauth2/token', {
      grant_type: 'client_credentials',
      box_subject_type: 'user',
      box_subject_id: '999',
    });
    assert.equal(otherUser.body?.['error'], 'invalid_grant');
    const unknownRefresh = await postForm(localbox, '/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: 'never-issued',
    });
    assert.equal(unknownRefresh.status, 400);
    assert.equal(unknownRefresh.body?.['error'], 'invalid_grant');
    const json = await fetch(`${localbox.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    assert.equal(json.status, 400);
    assert.equal(((await json.json()) as Record<string, unknown>)['error'], 'invalid_request');
  });

  it('refuses an expired access token with 401 on an upload route, while the fixed token keeps working', async (t) => {
    const clock = new ManualClock();
    const localbox = await localboxFor(t, {
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
      nowMs: () => clock.nowMs(),
    });
    const accessToken = await clientCredentialsToken(localbox);
    const create = (token: string) =>
      call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
        token,
        json: { folder_id: '0', file_size: 20_000_000, file_name: `big-${token.slice(0, 6)}.bin` },
      });
    assert.equal((await create(accessToken)).status, 201);
    clock.advance(ACCESS_TOKEN_TTL_SECONDS * 1000 - 1);
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0', { token: accessToken })).status, 200);
    clock.advance(1);
    const expired = await create(accessToken);
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal((await create(localbox.token)).status, 201, 'the fixed token is a developer token');
  });

  it('never lets an OAuth access token drive the /_localbox controls', async (t) => {
    const localbox = await localboxFor(t);
    const accessToken = await clientCredentialsToken(localbox);
    assert.equal((await call(localbox, 'GET', '/_localbox/stats', { token: accessToken })).status, 401);
    assert.equal((await call(localbox, 'GET', '/_localbox/stats')).status, 200);
  });

  it('counts token requests by grant, whatever the answer, and resets them with the stats', async (t) => {
    const localbox = await localboxFor(t);
    await clientCredentialsToken(localbox);
    await postForm(localbox, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: 'x' });
    await postForm(localbox, '/oauth2/token', { grant_type: 'authorization_code', code: 'x' });
    await postForm(localbox, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: 'y' });
    await postForm(localbox, '/oauth2/token', { grant_type: 'password' });
    assert.deepEqual(localbox.stats().tokenRequests, {
      authorization_code: 1,
      refresh_token: 2,
      client_credentials: 1,
    });
    const overHttp = await call(localbox, 'GET', '/_localbox/stats');
    assert.deepEqual(overHttp.body?.['tokenRequests'], localbox.stats().tokenRequests);
    localbox.resetStats();
    assert.deepEqual(localbox.stats().tokenRequests, {
      authorization_code: 0,
      refresh_token: 0,
      client_credentials: 0,
    });
  });

  it('applies token faults: a status in OAuth2Error shape, and a grant whose answer is lost', async (t) => {
    const localbox = await localboxFor(t);
    const fields = { grant_type: 'client_credentials', box_subject_type: 'enterprise', box_subject_id: '1' };
    localbox.faults.add({ on: 'token', action: { kind: 'status', status: 503, retryAfterSeconds: 3 } });
    const unavailable = await postForm(localbox, '/oauth2/token', fields);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), '3');
    assert.equal(unavailable.body?.['error'], 'temporarily_unavailable');
    const added = await call(localbox, 'POST', '/_localbox/faults', {
      json: { on: 'token', action: { kind: 'lose-response' } },
    });
    assert.equal(added.status, 204);
    await assert.rejects(postForm(localbox, '/oauth2/token', fields));
    assert.equal((await postForm(localbox, '/oauth2/token', fields)).status, 200);
    assert.equal(localbox.stats().tokenRequests.client_credentials, 3);
  });
});
