import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxClient, BoxOAuth, OAuthConfig } from 'box-node-sdk';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { decideOnConsentPage } from '../../helpers/oauth-calls.ts';

const REDIRECT_URI = 'http://127.0.0.1:49154/callback';

describe('box-node-sdk v10 OAuth 2.0 against localbox', () => {
  it('signs in with a code, reads users/me, refreshes, and revokes, pointed at localbox only by its base URLs', async (t) => {
    const localbox = await localboxFor(t, { user: { spaceAmountBytes: 5_000_000_000, spaceUsedBytes: 1234 } });
    const auth = new BoxOAuth({
      config: new OAuthConfig({ clientId: localbox.clientId, clientSecret: localbox.clientSecret }),
    });
    const client = new BoxClient({ auth }).withCustomBaseUrls({
      baseUrl: localbox.url,
      uploadUrl: `${localbox.url}/api`,
      oauth2Url: `${localbox.url}/api/oauth2`,
    });
    const back = await decideOnConsentPage(localbox, { redirectUri: REDIRECT_URI, state: 'sdk' }, 'grant');
    const code = back.searchParams.get('code') ?? '';
    const first = await auth.getTokensAuthorizationCodeGrant(code, client.networkSession);
    assert.equal(first.tokenType, 'bearer');
    assert.equal(typeof first.refreshToken, 'string');

    const me = await client.users.getUserMe();
    assert.equal(me.id, '1');
    assert.equal(me.spaceAmount, 5_000_000_000);
    assert.equal(me.spaceUsed, 1234);

    const second = await auth.refreshToken(client.networkSession);
    assert.notEqual(second.accessToken, first.accessToken);
    assert.equal((await client.users.getUserMe()).id, '1');
    assert.deepEqual(localbox.stats().tokenRequests, {
      authorization_code: 1,
      refresh_token: 1,
      client_credentials: 0,
    });

    await auth.revokeToken(client.networkSession);
    const replay = await fetch(`${localbox.url}/2.0/users/me`, {
      headers: { authorization: `Bearer ${second.accessToken}` },
    });
    assert.equal(replay.status, 401);
  });
});
