import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstLine, runHoist, startHoist } from '../../helpers/hoist-process.ts';
import { call } from '../../helpers/localbox-fixture.ts';
import { authorizeUrl, postForm } from '../../helpers/oauth-calls.ts';

interface Ready {
  url: string;
  token: string;
  clientId: string;
  clientSecret: string;
}

describe('hoist localbox OAuth and quota flags', () => {
  it('takes the OAuth client, token life, redirect URIs and quota from flags and prints the client', async (t) => {
    const run = startHoist(t, [
      'localbox',
      '--client-id',
      'cli-app',
      '--client-secret',
      'cli-secret',
      '--access-token-ttl',
      '120',
      '--redirect-uri',
      'https://app.example.com/cb',
      '--space-amount',
      '5000000',
      '--space-used',
      '1000',
      '--max-upload-size',
      '2000000',
    ]);
    const ready = JSON.parse(await firstLine(run)) as Ready;
    assert.deepEqual(Object.keys(ready), ['url', 'token', 'clientId', 'clientSecret']);
    assert.equal(ready.clientId, 'cli-app');
    assert.equal(ready.clientSecret, 'cli-secret');
    const granted = await postForm(ready, '/oauth2/token', {
      grant_type: 'client_credentials',
      box_subject_type: 'enterprise',
      box_subject_id: '1',
    });
    assert.equal(granted.status, 200);
    assert.equal(granted.body?.['expires_in'], 120);
    const user = await call(ready, 'GET', '/2.0/users/me', { token: String(granted.body?.['access_token']) });
    assert.deepEqual(
      [user.body?.['space_amount'], user.body?.['space_used'], user.body?.['max_upload_size']],
      [5_000_000, 1000, 2_000_000],
    );
    const page = await fetch(authorizeUrl(ready, { redirectUri: 'https://app.example.com/cb' }));
    assert.equal(page.status, 200);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  });

  it('exits 2 with the usage for bad OAuth and quota flags', async () => {
    for (const args of [
      ['localbox', '--access-token-ttl', '0'],
      ['localbox', '--space-amount', '-1'],
      ['localbox', '--client-secret', 'has space'],
      ['localbox', '--redirect-uri', 'not a uri'],
    ]) {
      const result = await runHoist(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /Usage:/);
    }
  });
});
