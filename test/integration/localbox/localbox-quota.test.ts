import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LocalboxHandle } from '../../../electron/localbox/localbox.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { commit, createSession, directUpload, putAllParts, uploadBySession } from '../../helpers/manual-upload.ts';
import { clientCredentialsToken } from '../../helpers/oauth-calls.ts';
import { patternBytes } from '../../helpers/test-files.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;
const BIG_FILE_BYTES = 20_000_000;

const me = async (localbox: Pick<LocalboxHandle, 'url' | 'token'>, query = '') =>
  (await call(localbox, 'GET', `/2.0/users/me${query}`)).body ?? {};

const rootItemNames = async (localbox: LocalboxHandle) =>
  ((await call(localbox, 'GET', '/2.0/folders/0/items')).body?.['entries'] as Array<{ name: string }>).map(
    (entry) => entry.name,
  );

describe('localbox users/me and storage quotas', () => {
  it('answers /2.0/users/me as Box: an unlimited account by default, to the fixed token and OAuth tokens', async (t) => {
    const localbox = await localboxFor(t);
    const user = await me(localbox);
    assert.equal(user['type'], 'user');
    assert.equal(user['id'], '1');
    assert.equal(user['status'], 'active');
    assert.equal(user['space_amount'], 999_999_999_999_999);
    assert.equal(user['space_used'], 0);
    assert.equal(user['max_upload_size'], 150_000_000_000);
    const byOAuth = await call(localbox, 'GET', '/2.0/users/me', { token: await clientCredentialsToken(localbox) });
    assert.deepEqual(byOAuth.body, user);
    assert.equal((await call(localbox, 'GET', '/2.0/users/me', { token: 'wrong' })).status, 401);
    assert.deepEqual(await me(localbox, '?fields=space_used'), {
      type: 'user',
      id: '1',
      name: 'Local Box',
      login: 'localbox@localhost',
      space_used: 0,
    });
  });

  it('takes the user and its quota from options and setUser, over HTTP too', async (t) => {
    const localbox = await localboxFor(t, {
      user: { name: 'Ada', login: 'ada@example.com', spaceAmountBytes: 10_000, spaceUsedBytes: 2_500 },
    });
    const user = await me(localbox);
    assert.deepEqual(
      [user['name'], user['login'], user['space_amount'], user['space_used']],
      ['Ada', 'ada@example.com', 10_000, 2_500],
    );
    localbox.setUser({ maxUploadSizeBytes: 4_000 });
    assert.equal((await me(localbox))['max_upload_size'], 4_000);
    const set = await call(localbox, 'POST', '/_localbox/user', { json: { spaceUsedBytes: 9_000 } });
    assert.equal(set.status, 204);
    assert.equal((await me(localbox))['space_used'], 9_000);
    const bad = await call(localbox, 'POST', '/_localbox/user', { json: { spaceUsedBytes: -1 } });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body?.['message']), /spaceUsedBytes/);
  });

  it("names the owner in owned_by, and counts uploads into another user's folder against that owner", async (t) => {
    const localbox = await localboxFor(t, {
      user: { name: 'Ada', login: 'ada@example.com', spaceAmountBytes: 1_000, spaceUsedBytes: 1_000 },
    });
    const made = await call(localbox, 'POST', '/2.0/folders', { json: { name: 'Shared', parent: { id: '0' } } });
    const sharedId = String(made.body?.['id']);
    const owner = async (path: string) => (await call(localbox, 'GET', path)).body?.['owned_by'];
    const ada = { type: 'user', id: '1', name: 'Ada', login: 'ada@example.com' };
    assert.deepEqual(await owner('/2.0/folders/0'), ada, 'Folder--Full has owned_by, the user itself');
    assert.deepEqual(await owner(`/2.0/folders/${sharedId}?fields=owned_by`), ada);
    const sessionIn = async (folderId: string) =>
      (
        await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
          json: { folder_id: folderId, file_size: BIG_FILE_BYTES, file_name: 'b.bin' },
        })
      ).body?.['code'];
    assert.equal(await sessionIn(sharedId), 'storage_limit_exceeded', 'the own space is full');

    const set = await call(localbox, 'POST', '/_localbox/user', { json: { foreignFolderIds: [sharedId] } });
    assert.equal(set.status, 204);
    const foreign = (await owner(`/2.0/folders/${sharedId}`)) as Record<string, unknown>;
    assert.notEqual(foreign['id'], '1');
    const stored = await uploadBySession(localbox, 'a.bin', patternBytes(BIG_FILE_BYTES, 1), sharedId);
    assert.equal((stored['owned_by'] as Record<string, unknown>)['id'], foreign['id']);
    assert.equal((await me(localbox))['space_used'], 1_000, "the owner's space was used, not Ada's");
    assert.equal(await sessionIn('0'), 'storage_limit_exceeded', "the root is still Ada's own, and full");
    const bad = await call(localbox, 'POST', '/_localbox/user', { json: { foreignFolderIds: 'x' } });
    assert.equal(bad.status, 400);
  });

  it('grows space_used with every committed file and version', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, user: { spaceUsedBytes: 100 } });
    const small = await directUpload(localbox, { name: 'small.txt', parent: { id: '0' } }, patternBytes(1_000));
    assert.equal(small.status, 201);
    assert.equal((await me(localbox))['space_used'], 1_100);
    const fileId = String((small.body['entries'] as Array<{ id: string }>)[0]?.id);
    const version = await directUpload(localbox, {}, patternBytes(500), { path: `/api/2.0/files/${fileId}/content` });
    assert.equal(version.status, 200);
    assert.equal((await me(localbox))['space_used'], 1_600);
    await uploadBySession(localbox, 'big.bin', patternBytes(BIG_FILE_BYTES, 3));
    assert.equal((await me(localbox))['space_used'], 1_600 + BIG_FILE_BYTES);
  });

  it('refuses uploads that do not fit with 403 storage_limit_exceeded before storing anything', async (t) => {
    const localbox = await localboxFor(t, {
      partSize: PART_BYTES,
      user: { spaceAmountBytes: 30_000_000, spaceUsedBytes: 15_000_000 },
    });
    const session = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
      json: { folder_id: '0', file_size: BIG_FILE_BYTES, file_name: 'too-big.bin' },
    });
    assert.equal(session.status, 403);
    assert.equal(session.body?.['code'], 'storage_limit_exceeded');
    const preflight = await call(localbox, 'OPTIONS', '/2.0/files/content', {
      json: { name: 'too-big.bin', size: BIG_FILE_BYTES, parent: { id: '0' } },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.body?.['code'], 'storage_limit_exceeded');

    localbox.setUser({ spaceUsedBytes: 29_999_000 });
    const direct = await directUpload(localbox, { name: 'direct.bin', parent: { id: '0' } }, patternBytes(1_001));
    assert.equal(direct.status, 403);
    assert.equal(direct.body['code'], 'storage_limit_exceeded');
    assert.deepEqual(await rootItemNames(localbox), []);
    assert.equal((await me(localbox))['space_used'], 29_999_000);
    const fits = await directUpload(localbox, { name: 'exact.bin', parent: { id: '0' } }, patternBytes(1_000));
    assert.equal(fits.status, 201, 'a file that fills the account exactly fits');
    assert.equal((await me(localbox))['space_used'], 30_000_000);
  });

  it('checks the quota again at commit, when other uploads took the space meanwhile', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, user: { spaceAmountBytes: 30_000_000 } });
    const data = patternBytes(BIG_FILE_BYTES, 5);
    const session = await createSession(localbox, 'late.bin', data.length);
    const parts = await putAllParts(localbox, session, data);
    localbox.setUser({ spaceUsedBytes: 15_000_000 });
    const refused = await commit(localbox, session, parts, data);
    assert.equal(refused.status, 403);
    assert.equal(refused.body?.['code'], 'storage_limit_exceeded');
    assert.deepEqual(await rootItemNames(localbox), []);
    localbox.setUser({ spaceUsedBytes: 0 });
    assert.equal((await commit(localbox, session, parts, data)).status, 201, 'the session is still usable');
  });

  it('refuses a file over max_upload_size with 403 file_size_limit_exceeded', async (t) => {
    const localbox = await localboxFor(t, { user: { maxUploadSizeBytes: 25_000_000 } });
    const session = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
      json: { folder_id: '0', file_size: 25_000_001, file_name: 'over.bin' },
    });
    assert.equal(session.status, 403);
    assert.equal(session.body?.['code'], 'file_size_limit_exceeded');
    localbox.setUser({ maxUploadSizeBytes: 2_000 });
    const direct = await directUpload(localbox, { name: 'over.txt', parent: { id: '0' } }, patternBytes(2_001));
    assert.equal(direct.status, 403);
    assert.equal(direct.body['code'], 'file_size_limit_exceeded');
    assert.deepEqual(await rootItemNames(localbox), []);
  });
});
