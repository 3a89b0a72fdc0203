import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { FileTokenStore, signInFileFor } from '../../electron/box/oauth/file-token-store.ts';
import { isLoopbackUrl, oauthEndpointsFor } from '../../electron/box/oauth/oauth-endpoints.ts';
import type { StoredSignIn } from '../../electron/box/oauth/token-store.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const signIn: StoredSignIn = {
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
  expiresAtMs: 1_000_000,
  apiOrigin: 'https://api.box.com',
  uploadOrigin: 'https://upload.box.com',
  login: 'a@example.com',
  name: 'A',
};

describe('OAuth endpoints', () => {
  it('uses Box own hosts for api.box.com: the browser to account.box.com, tokens to api.box.com', () => {
    assert.deepEqual(oauthEndpointsFor('https://api.box.com/'), {
      authorizeUrl: 'https://account.box.com/api/oauth2/authorize',
      tokenUrl: 'https://api.box.com/oauth2/token',
      revokeUrl: 'https://api.box.com/oauth2/revoke',
    });
  });

  it('uses where localbox serves them for any other server, and --auth-url overrides the authorize URL', () => {
    assert.deepEqual(oauthEndpointsFor('http://127.0.0.1:4000'), {
      authorizeUrl: 'http://127.0.0.1:4000/api/oauth2/authorize',
      tokenUrl: 'http://127.0.0.1:4000/oauth2/token',
      revokeUrl: 'http://127.0.0.1:4000/oauth2/revoke',
    });
    assert.equal(
      oauthEndpointsFor('https://api.box.com', 'https://ent.box.com/api/oauth2/authorize').authorizeUrl,
      'https://ent.box.com/api/oauth2/authorize',
    );
  });

  it('treats only this machine as loopback', () => {
    assert.ok(
      isLoopbackUrl('http://127.0.0.1:1/x') && isLoopbackUrl('http://[::1]:2') && isLoopbackUrl('http://localhost'),
    );
    assert.ok(!isLoopbackUrl('http://127.0.0.1.example.com') && !isLoopbackUrl('not a url'));
  });
});

describe('the CLI sign-in file', () => {
  it('is one file per API origin, mode 0600, replaced whole, with the Box app beside the tokens', async (t) => {
    const dir = await tempDir(t);
    const path = signInFileFor(dir, 'https://api.box.com');
    assert.notEqual(path, signInFileFor(dir, 'http://127.0.0.1:4000'));
    const store = new FileTokenStore(path, { app: { clientId: 'id', clientSecret: 'secret' } });
    await store.save(signIn);
    await store.save({ ...signIn, accessToken: 'access-2', refreshToken: 'refresh-2' });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dirname(path)), [path.split('/').at(-1)], 'no temporary file left');

    const again = new FileTokenStore(path);
    assert.deepEqual(again.load(), { ...signIn, accessToken: 'access-2', refreshToken: 'refresh-2' });
    assert.deepEqual(again.app(), { clientId: 'id', clientSecret: 'secret' });
    assert.match(await readFile(path, 'utf8'), /"clientId": "id"/);
    await again.clear();
    assert.equal(again.load(), undefined);
  });

  it('says so when the file is damaged, and loads nothing from it', async (t) => {
    const path = signInFileFor(await tempDir(t), 'https://api.box.com');
    const store = new FileTokenStore(path);
    await store.save(signIn);
    await writeFile(path, '{"accessToken": ');
    assert.equal(store.load(), undefined);
    assert.match(store.problem ?? '', /is damaged; sign in again/);
  });
});
