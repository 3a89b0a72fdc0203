import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileTokenStore, signInFileFor } from '../../../electron/box/oauth/file-token-store.ts';
import { runHoist } from '../../helpers/hoist-process.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { appOf, browserSignIn, storedFor } from '../../helpers/oauth-sign-in.ts';
import { recordingServer } from '../../helpers/recording-server.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

/** A shell profile's credentials for Box: HOIST_API_URL unset, so they are Box's. */
const BOX_ENV = {
  HOIST_TOKEN: 'box-token',
  HOIST_CLIENT_ID: 'my-client',
  HOIST_CLIENT_SECRET: 'my-secret',
  HOIST_API_URL: '',
};
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('credentials in the environment go to their own server only', () => {
  it('HOIST_TOKEN for Box never reaches another --api-url, and the error says why it was not used', async (t) => {
    const staging = await recordingServer(t);
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'a.bin', 100, 71);
    const state = ['--state-dir', join(dir, 'state')];
    const result = await runHoist(['upload', file.path, '--api-url', staging.url, ...state], BOX_ENV);
    assert.deepEqual(staging.carrying('box-token'), [], 'no request carries the Box token');
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(
        escaped(
          `hoist: not signed in to ${staging.url}: run hoist login --api-url ${staging.url}; HOIST_TOKEN was not used: it is for https://api.box.com (HOIST_API_URL is not set), not ${staging.url}; set HOIST_API_URL=${staging.url} to use it there, or pass --token`,
        ),
      ),
    );

    // Named for another server, it is that server's only.
    const elsewhere = await runHoist(['upload', file.path, '--api-url', staging.url, ...state], {
      ...BOX_ENV,
      HOIST_API_URL: 'https://staging.example',
    });
    assert.equal(elsewhere.code, 2, elsewhere.stderr);
    assert.match(elsewhere.stderr, /it is for https:\/\/staging\.example \(named by HOIST_API_URL\)/);
    assert.deepEqual(staging.carrying('box-token'), []);

    // --token is explicit: it goes where --api-url says.
    await runHoist(['upload', file.path, '--api-url', staging.url, '--token', 'given-token', ...state], BOX_ENV);
    assert.ok(staging.requests.some((request) => request.headers.authorization === 'Bearer given-token'));
  });

  it('a stored sign-in for the server is used, not HOIST_TOKEN for Box', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const stateDir = join(dir, 'state');
    const signIn = storedFor(localbox, await browserSignIn(localbox));
    await new FileTokenStore(signInFileFor(stateDir, localbox.url), { app: appOf(localbox) }).save(signIn);
    const file = await writePatternFile(dir, 'b.bin', 100, 72);
    const result = await runHoist(['upload', file.path, '--api-url', localbox.url, '--state-dir', stateDir], BOX_ENV);
    assert.equal(result.code, 0, `the sign-in uploaded, not the Box token: ${result.stderr}`);
  });

  it('HOIST_CLIENT_ID and HOIST_CLIENT_SECRET for Box never reach another server’s /oauth2/token', async (t) => {
    const staging = await recordingServer(t);
    const dir = await tempDir(t);
    const login = ['login', '--client-credentials', '--enterprise-id', '1', '--api-url', staging.url];
    const result = await runHoist([...login, '--state-dir', dir], BOX_ENV);
    assert.deepEqual(staging.carrying('my-secret'), [], 'no request carries the person’s secret');
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(
        escaped(
          `hoist: a Box app is needed to sign in to ${staging.url}: pass --client-id and --client-secret; HOIST_CLIENT_ID and HOIST_CLIENT_SECRET were not used: they are for https://api.box.com (HOIST_API_URL is not set), not ${staging.url}; set HOIST_API_URL=${staging.url} to use them there`,
        ),
      ),
    );

    // Named by HOIST_API_URL, that server is the one they are for.
    await runHoist([...login, '--state-dir', dir], { ...BOX_ENV, HOIST_API_URL: staging.url });
    const tokenRequests = staging.requests.filter((request) => request.url === '/oauth2/token');
    assert.equal(tokenRequests.length, 1);
    assert.equal(new URLSearchParams(tokenRequests[0]!.body).get('client_id'), 'my-client');
  });
});

describe('the server’s words in the terminal', () => {
  it('login and whoami show a user name or login holding terminal escapes escaped', async (t) => {
    const name = 'Eve\x1b]52;c;aGVsbG8=\x07';
    const login = 'eve\x1b[2J@example.com';
    const localbox = await localboxFor(t, { user: { name, login } });
    const dir = await tempDir(t);
    const app = ['--client-id', localbox.clientId, '--client-secret', localbox.clientSecret];
    const signedIn = await runHoist(
      ['login', '--client-credentials', '--user-id', '1', '--api-url', localbox.url, ...app, '--state-dir', dir],
      { HOIST_API_URL: '' },
    );
    assert.equal(signedIn.code, 0, signedIn.stderr);
    const who = await runHoist(['whoami', '--api-url', localbox.url, '--state-dir', dir], { HOIST_API_URL: '' });
    assert.equal(who.code, 0, who.stderr);
    for (const output of [signedIn.stdout, who.stdout]) {
      // eslint-disable-next-line no-control-regex -- looking for control characters
      assert.doesNotMatch(output, /[\x00-\x09\x0b-\x1f\x7f]/, 'no control character but the line end');
      assert.ok(output.includes('Eve\\x1b]52;c;aGVsbG8=\\x07 (eve\\x1b[2J@example.com)'), output);
    }
  });
});
