import assert from 'node:assert/strict';
import type { LocalboxHandle } from '../../electron/localbox/localbox.ts';
import { call } from './localbox-fixture.ts';
import { commit, createSession, directUpload, putAllParts, putPart, uploadBySession } from './manual-upload.ts';
import { patternBytes, sha1Hex } from './test-files.ts';

const FILE_BYTES = 20_000_001;
const SESSIONS = '/api/2.0/files/upload_sessions';

/**
 * Reaches every localbox route on success and on each error it can return, through fetch (the
 * conformance test records what fetch sees). Assertions here only check the answer was reached.
 */
export async function exerciseEveryRoute(localbox: LocalboxHandle): Promise<void> {
  const expect = async (status: number, promise: Promise<{ status: number }>) =>
    assert.equal((await promise).status, status);
  const data = patternBytes(FILE_BYTES, 51);

  // Create a session: success and each validation error.
  const session = await createSession(localbox, 'conformance.bin', data.length);
  const create = (json: unknown) => call(localbox, 'POST', SESSIONS, { json });
  await expect(400, create({ file_size: data.length, file_name: 'x.bin' }));
  await expect(400, create({ folder_id: 0, file_size: data.length, file_name: 'x.bin' }));
  await expect(400, create({ folder_id: '0', file_size: data.length }));
  await expect(400, create({ folder_id: '0', file_size: data.length, file_name: 'a/b' }));
  await expect(400, create({ folder_id: '0', file_name: 'x.bin' }));
  await expect(400, create({ folder_id: '0', file_size: -1, file_name: 'x.bin' }));
  await expect(400, create({ folder_id: '0', file_size: 1000, file_name: 'x.bin' }));
  localbox.setAnswers({ minSessionFileBytes: 20_971_520 });
  await expect(400, create({ folder_id: '0', file_size: 20_000_000, file_name: 'x.bin' }));
  localbox.setAnswers({ minSessionFileBytes: 20_000_000 });
  await expect(400, call(localbox, 'POST', SESSIONS, { body: '{', headers: { 'content-type': 'application/json' } }));
  await expect(403, create({ folder_id: '0', file_size: 11_000_000_000, file_name: 'x.bin' }));
  await expect(404, create({ folder_id: '999', file_size: data.length, file_name: 'x.bin' }));
  await expect(401, call(localbox, 'POST', SESSIONS, { json: {}, token: 'wrong' }));
  localbox.faults.add({ on: 'create-session', action: { kind: 'session-conflict' } });
  await expect(409, create({ folder_id: '0', file_size: data.length, file_name: 'conformance.bin' }));
  localbox.faults.add({ on: 'create-session', action: { kind: 'status', status: 503, retryAfterSeconds: 1 } });
  await expect(503, create({ folder_id: '0', file_size: data.length, file_name: 'x.bin' }));

  // Parts: success, header errors, digest (412, then 400), alignment and overlap (416 and 409, both ways).
  await expect(200, putPart(localbox, session, data, 0));
  await expect(400, putPart(localbox, session, data, 1, { 'content-range': 'bytes x' }));
  await expect(400, putPart(localbox, session, data, 1, { digest: 'md5=abc' }));
  const wrongDigest = { digest: 'sha=AAAAAAAAAAAAAAAAAAAAAAAAAAA=' };
  await expect(412, putPart(localbox, session, data, 1, wrongDigest));
  localbox.setAnswers({ partDigestMismatch: 400 });
  await expect(400, putPart(localbox, session, data, 1, wrongDigest));
  await expect(416, putPart(localbox, session, data, 1, { 'content-range': `bytes 1-100/${data.length}` }));
  await expect(416, putPart(localbox, session, data, 0));
  localbox.setAnswers({ overlapConflictingPart: 'none' });
  await expect(416, putPart(localbox, session, data, 0));
  localbox.setAnswers({ overlapStatus: 409 });
  await expect(409, putPart(localbox, session, data, 0));
  localbox.setAnswers({ overlapConflictingPart: 'full' });
  await expect(409, putPart(localbox, session, data, 0));
  localbox.setAnswers({ overlapStatus: 416 });
  localbox.faults.add({ on: 'upload-part', action: { kind: 'status', status: 429, retryAfterSeconds: 1 } });
  await expect(429, putPart(localbox, session, data, 1));
  await expect(400, call(localbox, 'PUT', `${SESSIONS}/nope`, { body: 'x' }));
  await expect(404, call(localbox, 'PUT', `${SESSIONS}/${'A'.repeat(32)}`, { body: 'x' }));

  // Status and parts, with paging errors.
  await expect(200, call(localbox, 'GET', session.session_endpoints.status));
  await expect(200, call(localbox, 'GET', `${session.session_endpoints.list_parts}?offset=0&limit=1`));
  await expect(400, call(localbox, 'GET', `${session.session_endpoints.list_parts}?limit=5000`));
  await expect(400, call(localbox, 'GET', `${session.session_endpoints.list_parts}?offset=-1`));
  await expect(404, call(localbox, 'GET', `${SESSIONS}/${'B'.repeat(32)}`));

  // Commit: parts_mismatch, 202, digest_mismatch, a name taken meanwhile, If-Match, success, replays.
  const parts = [
    (await call(localbox, 'GET', session.session_endpoints.list_parts)).body?.['entries'] as unknown[],
  ][0]!;
  await expect(400, commit(localbox, session, parts, data));
  for (let index = 1; index < session.total_parts; index++) await expect(200, putPart(localbox, session, data, index));
  const all = (await call(localbox, 'GET', session.session_endpoints.list_parts)).body?.['entries'] as unknown[];
  localbox.faults.add({ on: 'commit', action: { kind: 'accepted', retryAfterSeconds: 1 } });
  await expect(202, commit(localbox, session, all, data));
  await expect(400, commit(localbox, session, all, patternBytes(FILE_BYTES, 52)));
  const taker = await createSession(localbox, 'taken.bin', data.length);
  await uploadBySession(localbox, 'taken.bin', data);
  await expect(409, commit(localbox, taker, await putAllParts(localbox, taker, data), data));
  await expect(412, commit(localbox, session, all, data, { 'if-match': '7' }));
  await expect(201, commit(localbox, session, all, data));
  for (const replay of [200, 400, 404, 409, 410] as const) {
    localbox.setAnswers({ commitReplay: replay });
    await expect(replay, commit(localbox, session, all, data));
  }
  for (const answer of [404, 410] as const) {
    localbox.setAnswers({ committedStatus: answer, committedListParts: answer });
    await expect(answer, call(localbox, 'GET', session.session_endpoints.status));
    await expect(answer, call(localbox, 'GET', session.session_endpoints.list_parts));
  }
  await expect(204, call(localbox, 'DELETE', session.session_endpoints.abort));
  await expect(404, call(localbox, 'DELETE', session.session_endpoints.abort));
  const doomed = await createSession(localbox, 'doomed.bin', data.length);
  await localbox.expireSessions(doomed.id);
  await expect(410, call(localbox, 'GET', doomed.session_endpoints.status));
  await expect(410, putPart(localbox, doomed, data, 0));
  await expect(410, call(localbox, 'GET', doomed.session_endpoints.list_parts));

  // Versions by session.
  const file = await uploadBySession(localbox, 'versioned.bin', data);
  const versions = `/api/2.0/files/${String(file['id'])}/upload_sessions`;
  await expect(201, call(localbox, 'POST', versions, { json: { file_size: data.length } }));
  await expect(404, call(localbox, 'POST', '/api/2.0/files/999/upload_sessions', { json: { file_size: data.length } }));
  await expect(409, call(localbox, 'POST', versions, { json: { file_size: data.length, file_name: 'taken.bin' } }));

  // Direct uploads, preflight.
  const small = patternBytes(5000, 53);
  await expect(201, directUpload(localbox, { name: 'small.bin', parent: { id: '0' } }, small));
  await expect(409, directUpload(localbox, { name: 'small.bin', parent: { id: '0' } }, small));
  await expect(404, directUpload(localbox, { name: 'x.bin', parent: { id: '999' } }, small));
  await expect(413, directUpload(localbox, { name: 'big.bin', parent: { id: '0' } }, patternBytes(20_000, 54)));
  await expect(400, directUpload(localbox, { name: 'x.bin', parent: { id: '0' } }, small, { fileFirst: true }));
  await expect(
    400,
    directUpload(localbox, { name: 'y.bin', parent: { id: '0' } }, small, {
      headers: { 'content-md5': sha1Hex(data) },
    }),
  );
  const version = `/api/2.0/files/${String(file['id'])}/content`;
  await expect(200, directUpload(localbox, {}, small, { path: version }));
  await expect(412, directUpload(localbox, {}, small, { path: version, headers: { 'if-match': '99' } }));
  const preflight = (json: unknown, path = '/2.0/files/content') => call(localbox, 'OPTIONS', path, { json });
  await expect(200, preflight({ name: 'p.bin', size: 10, parent: { id: '0' } }));
  await expect(200, preflight({ name: 'renamed.bin', size: 10 }, `/2.0/files/${String(file['id'])}/content`));
  await expect(409, preflight({ name: 'small.bin', size: 10, parent: { id: '0' } }));
  await expect(400, preflight({ name: 'p.bin', size: -5, parent: { id: '0' } }));
  await expect(403, preflight({ name: 'p.bin', size: 11_000_000_000, parent: { id: '0' } }));
  await expect(404, preflight({ name: 'p.bin', size: 10, parent: { id: '999' } }));

  // Files and folders.
  await expect(200, call(localbox, 'GET', `/2.0/files/${String(file['id'])}`));
  await expect(404, call(localbox, 'GET', '/2.0/files/999'));
  await expect(201, call(localbox, 'POST', '/2.0/folders', { json: { name: 'F', parent: { id: '0' } } }));
  await expect(409, call(localbox, 'POST', '/2.0/folders', { json: { name: 'F', parent: { id: '0' } } }));
  await expect(400, call(localbox, 'POST', '/2.0/folders', { json: { name: '', parent: { id: '0' } } }));
  await expect(404, call(localbox, 'POST', '/2.0/folders', { json: { name: 'G', parent: { id: '999' } } }));
  // Shared links: each access level, Box's default, a change, removal, and each error.
  const shared = `/2.0/files/${String(file['id'])}?fields=shared_link`;
  const share = (json: unknown, path = shared, headers: Record<string, string> = {}) =>
    call(localbox, 'PUT', path, { json, headers });
  for (const access of ['open', 'company', 'collaborators']) await expect(200, share({ shared_link: { access } }));
  await expect(200, share({ shared_link: {} }));
  await expect(200, share({ shared_link: { access: 'open', permissions: { can_download: true, can_edit: true } } }));
  await expect(200, call(localbox, 'GET', shared));
  await expect(200, share({ shared_link: null }));
  await expect(400, share({ shared_link: { access: 'everyone' } }));
  await expect(400, share({ shared_link: { access: 'collaborators', permissions: { can_download: true } } }));
  await expect(400, share({ shared_link: { access: 'open', permissions: { can_edit: true, can_download: false } } }));
  await expect(404, share({ shared_link: {} }, '/2.0/files/999?fields=shared_link'));
  await expect(405, share({ shared_link: {} }, '/2.0/files/abc?fields=shared_link'));
  await expect(412, share({ shared_link: {} }, shared, { 'if-match': '999' }));
  await expect(200, call(localbox, 'GET', '/2.0/folders/0'));
  await expect(404, call(localbox, 'GET', '/2.0/folders/999'));
  await expect(405, call(localbox, 'GET', '/2.0/folders/abc'));
  await expect(200, call(localbox, 'GET', '/2.0/folders/0/items?offset=0&limit=2'));
  await expect(400, call(localbox, 'GET', '/2.0/folders/0/items?limit=5000'));
  const firstPage = await call(localbox, 'GET', '/2.0/folders/0/items?usemarker=true&limit=1');
  assert.equal(firstPage.status, 200);
  const marker = encodeURIComponent(String(firstPage.body?.['next_marker']));
  await expect(200, call(localbox, 'GET', `/2.0/folders/0/items?usemarker=true&limit=1&marker=${marker}`));
  await expect(400, call(localbox, 'GET', '/2.0/folders/0/items?usemarker=true&marker=not-a-marker'));
  await expect(404, call(localbox, 'GET', '/2.0/folders/999/items'));
}
