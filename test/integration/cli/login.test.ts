import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { signInFileFor } from '../../../electron/box/oauth/file-token-store.ts';
import { refreshTokens, SignInRequiredError } from '../../../electron/box/oauth/oauth-client.ts';
import { oauthEndpointsFor } from '../../../electron/box/oauth/oauth-endpoints.ts';
import { eventsOf, runHoist, startHoist, waitForEvent } from '../../helpers/hoist-process.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { actInBrowser, appOf } from '../../helpers/oauth-sign-in.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

const NO_ENV = { HOIST_TOKEN: '', HOIST_CLIENT_ID: '', HOIST_CLIENT_SECRET: '', HOIST_API_URL: '' };
const lastJson = (text: string) => JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('hoist login, whoami, logout', () => {
  it('signs in through the browser, uploads with the stored sign-in, says who, and signs out', async (t) => {
    const localbox = await localboxFor(t, {
      user: {
        name: 'Grace Hopper',
        login: 'grace@example.com',
        spaceAmountBytes: 10_000_000_000,
        spaceUsedBytes: 1000,
      },
    });
    const stateDir = await tempDir(t);
    const login = startHoist(
      t,
      ['login', '--api-url', localbox.url, '--no-browser', '--json', '--state-dir', stateDir],
      {
        ...NO_ENV,
        HOIST_API_URL: localbox.url,
        HOIST_CLIENT_ID: localbox.clientId,
        HOIST_CLIENT_SECRET: localbox.clientSecret,
      },
    );
    const authorize = await waitForEvent(login, (event) => event.event === 'authorize');
    const url = new URL(String(authorize['url']));
    assert.equal(
      `${url.origin}${url.pathname}`,
      `${localbox.url}/api/oauth2/authorize`,
      'localbox serves the consent page',
    );
    const browser = await actInBrowser(url.href);
    assert.match(browser.text, /Signed in\./);
    assert.equal(await login.exited, 0, login.stderr());
    assert.deepEqual(eventsOf(login).at(-1), { event: 'signed-in', login: 'grace@example.com', name: 'Grace Hopper' });

    const path = signInFileFor(stateDir, localbox.url);
    assert.equal((await stat(path)).mode & 0o777, 0o600, 'the sign-in file is for its owner only');
    const stored = JSON.parse(await readFile(path, 'utf8')) as { accessToken: string; refreshToken: string };
    for (const secret of [stored.accessToken, stored.refreshToken]) {
      assert.ok(!login.stdout().includes(secret) && !login.stderr().includes(secret), 'no token on screen');
    }

    const who = await runHoist(['whoami', '--api-url', localbox.url, '--state-dir', stateDir, '--json'], NO_ENV);
    assert.equal(who.code, 0, who.stderr);
    assert.deepEqual(lastJson(who.stdout), {
      login: 'grace@example.com',
      name: 'Grace Hopper',
      spaceUsed: 1000,
      spaceAmount: 10_000_000_000,
      maxUploadSize: lastJson(who.stdout)['maxUploadSize'],
    });

    const file = await writePatternFile(await tempDir(t), 'signed-in.bin', 300_000, 3);
    const upload = await runHoist(
      ['upload', file.path, '--api-url', localbox.url, '--state-dir', stateDir, '--json'],
      NO_ENV,
    );
    assert.equal(upload.code, 0, upload.stderr);
    assert.equal(lastJson(upload.stdout)['sha1'], file.sha1);
    assert.ok(!upload.stdout.includes(stored.accessToken), 'no token in --json output');

    const logout = await runHoist(['logout', '--api-url', localbox.url, '--state-dir', stateDir], NO_ENV);
    assert.equal(logout.code, 0, logout.stderr);
    await assert.rejects(stat(path), { code: 'ENOENT' });
    await assert.rejects(
      refreshTokens(oauthEndpointsFor(localbox.url), appOf(localbox), stored.refreshToken),
      SignInRequiredError,
      'the refresh token was revoked on the server',
    );
    const after = await runHoist(['whoami', '--api-url', localbox.url, '--state-dir', stateDir], NO_ENV);
    assert.equal(after.code, 1);
    assert.match(after.stderr, /not signed in to/);
    const refused = await runHoist(['upload', file.path, '--api-url', localbox.url, '--state-dir', stateDir], NO_ENV);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      new RegExp(`not signed in to ${localbox.url}: run hoist login --api-url ${localbox.url}`),
    );
  });

  it('signs in with client credentials for CI, no browser', async (t) => {
    const localbox = await localboxFor(t);
    const stateDir = await tempDir(t);
    const login = await runHoist(
      [
        'login',
        '--client-credentials',
        '--enterprise-id',
        '1',
        '--api-url',
        localbox.url,
        '--client-id',
        localbox.clientId,
        '--client-secret',
        localbox.clientSecret,
        '--state-dir',
        stateDir,
        '--json',
      ],
      NO_ENV,
    );
    assert.equal(login.code, 0, login.stderr);
    assert.equal(lastJson(login.stdout)['event'], 'signed-in');
    assert.equal(localbox.stats().tokenRequests.client_credentials, 1);
    const file = await writePatternFile(await tempDir(t), 'ci.bin', 1000, 4);
    const upload = await runHoist(['upload', file.path, '--api-url', localbox.url, '--state-dir', stateDir], NO_ENV);
    assert.equal(upload.code, 0, upload.stderr);
  });

  it('says what is wrong with a command line instead of guessing', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'x.bin', 100, 5);
    const noApi = await runHoist(['upload', file.path, '--token', 'abc', '--state-dir', dir], NO_ENV);
    assert.equal(noApi.code, 2);
    assert.match(noApi.stderr, /--token needs --api-url/);
    const noApp = await runHoist(['login', '--api-url', localbox.url, '--no-browser', '--state-dir', dir], NO_ENV);
    assert.equal(noApp.code, 2);
    assert.match(noApp.stderr, /pass --client-id and --client-secret/);
    const noSubject = await runHoist(['login', '--client-credentials', '--api-url', localbox.url], NO_ENV);
    assert.equal(noSubject.code, 2);

    const timedOut = await runHoist(
      [
        'login',
        '--api-url',
        localbox.url,
        '--client-id',
        'a',
        '--client-secret',
        'b',
        '--no-browser',
        '--timeout',
        '1',
      ],
      NO_ENV,
    );
    assert.equal(timedOut.code, 1);
    assert.match(timedOut.stderr, /no sign-in arrived from the browser within 1 second/);
  });

  it('reads a developer token from --token-file, keeping it out of the process listing', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, `${localbox.token}\n`, { mode: 0o600 });
    const file = await writePatternFile(dir, 'dev.bin', 5000, 6);
    const upload = await runHoist(
      ['upload', file.path, '--api-url', localbox.url, '--token-file', tokenFile, '--state-dir', join(dir, 's')],
      NO_ENV,
    );
    assert.equal(upload.code, 0, upload.stderr);
    const missing = await runHoist(
      [
        'upload',
        file.path,
        '--api-url',
        localbox.url,
        '--token-file',
        join(dir, 'nope'),
        '--state-dir',
        join(dir, 's'),
      ],
      NO_ENV,
    );
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read the token file/);
  });
});
