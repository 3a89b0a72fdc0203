import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { commit, createSession, putAllParts, putPart, uploadBySession } from '../../helpers/manual-upload.ts';
import { rawExchange, statusOf } from '../../helpers/raw-socket.ts';
import { patternBytes, sha1Hex } from '../../helpers/test-files.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;
const FILE_BYTES = 20_000_001;

/** A session with every part stored, ready to commit. */
async function fullSession(localbox: Parameters<typeof createSession>[0], name: string, seed: number) {
  const data = patternBytes(FILE_BYTES, seed);
  const session = await createSession(localbox, name, data.length);
  const parts = await putAllParts(localbox, session, data);
  return { data, session, parts };
}

describe('localbox: the answers Box may give, switchable', () => {
  it('aborting a committed session succeeds, as Box’s own SDK test expects, and keeps the file', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const { data, session, parts } = await fullSession(localbox, 'abort-after.bin', 1);
    const committed = await commit(localbox, session, parts, data);
    assert.equal(committed.status, 201);
    // By default the session outlives its commit: status and parts answer, then abort ends it.
    assert.equal((await call(localbox, 'GET', session.session_endpoints.status)).status, 200);
    const listed = await call(localbox, 'GET', session.session_endpoints.list_parts);
    assert.equal((listed.body?.['entries'] as unknown[]).length, parts.length);
    assert.equal((await call(localbox, 'DELETE', session.session_endpoints.abort)).status, 204);
    assert.equal((await call(localbox, 'GET', session.session_endpoints.status)).status, 404);
    const id = (committed.body?.['entries'] as Array<Record<string, unknown>>)[0]!['id'];
    assert.equal((await call(localbox, 'GET', `/2.0/files/${String(id)}`)).body?.['sha1'], sha1Hex(data));
  });

  it('answers status and list-parts of a committed session with 404 or 410 when told to', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, answers: { committedStatus: 404 } });
    const { data, session, parts } = await fullSession(localbox, 'gone.bin', 2);
    assert.equal((await commit(localbox, session, parts, data)).status, 201);
    assert.equal((await call(localbox, 'GET', session.session_endpoints.status)).status, 404);
    assert.equal((await call(localbox, 'GET', session.session_endpoints.list_parts)).status, 200);
    const set = await call(localbox, 'POST', '/_localbox/answers', { json: { committedListParts: 410 } });
    assert.equal(set.status, 200);
    assert.equal(set.body?.['committedStatus'], 404, 'the other answers stay');
    const parts410 = await call(localbox, 'GET', session.session_endpoints.list_parts);
    assert.equal(parts410.status, 410);
    assert.equal(parts410.body?.['code'], 'session_expired');
  });

  for (const replay of [200, 201, 400, 404, 409, 410] as const) {
    it(`answers a replayed commit with ${replay} when told to`, async (t) => {
      const localbox = await localboxFor(t, { partSize: PART_BYTES, answers: { commitReplay: replay } });
      const { data, session, parts } = await fullSession(localbox, `replay-${replay}.bin`, 3);
      assert.equal((await commit(localbox, session, parts, data)).status, 201, 'the first commit is 201');
      const again = await commit(localbox, session, parts, data);
      assert.equal(again.status, replay);
      if (replay >= 400) assert.equal(again.body?.['type'], 'error');
      else assert.equal((again.body?.['entries'] as Array<Record<string, unknown>>)[0]!['sha1'], sha1Hex(data));
    });
  }

  it('answers a part whose digest does not match with 412 precondition_failed or 400 bad_digest', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const data = patternBytes(FILE_BYTES, 4);
    const session = await createSession(localbox, 'digest.bin', data.length);
    const wrong = { digest: 'sha=AAAAAAAAAAAAAAAAAAAAAAAAAAA=' };
    assert.equal((await putPart(localbox, session, data, 0, wrong)).status, 412);
    localbox.setAnswers({ partDigestMismatch: 400 });
    const refused = await putPart(localbox, session, data, 0, wrong);
    assert.equal(refused.status, 400);
    assert.equal(refused.body?.['code'], 'bad_digest');
  });

  it('answers an overlap with or without conflicting_part', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, answers: { overlapConflictingPart: 'none' } });
    const data = patternBytes(FILE_BYTES, 5);
    const session = await createSession(localbox, 'overlap.bin', data.length);
    assert.equal((await putPart(localbox, session, data, 0)).status, 200);
    const bare = await putPart(localbox, session, data, 0);
    assert.equal(bare.status, 416);
    assert.equal(bare.body?.['code'], 'range_overlaps_existing_part');
    assert.equal(bare.body?.['context_info'], null);
  });

  it('answers an overlap with 409 instead of 416 when told to, with or without conflicting_part', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, answers: { overlapStatus: 409 } });
    const data = patternBytes(FILE_BYTES, 9);
    const session = await createSession(localbox, 'overlap-409.bin', data.length);
    const stored = await putPart(localbox, session, data, 0);
    assert.equal(stored.status, 200);
    const full = await putPart(localbox, session, data, 0);
    assert.equal(full.status, 409);
    assert.equal(full.body?.['code'], 'range_overlaps_existing_part');
    assert.deepEqual(
      (full.body?.['context_info'] as Record<string, unknown>)['conflicting_part'],
      stored.body?.['part'],
    );
    localbox.setAnswers({ overlapConflictingPart: 'none' });
    const bare = await putPart(localbox, session, data, 0);
    assert.equal(bare.status, 409);
    assert.equal(bare.body?.['context_info'], null);
  });

  it('refuses sessions below 20,000,000 bytes, or below 20 MiB when told to', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const create = (fileSizeBytes: number, name: string) =>
      call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
        json: { folder_id: '0', file_size: fileSizeBytes, file_name: name },
      });
    assert.equal((await create(19_999_999, 'a.bin')).status, 400);
    assert.equal((await create(20_000_000, 'b.bin')).status, 201);
    localbox.setAnswers({ minSessionFileBytes: 20_971_520 });
    const refused = await create(20_971_519, 'c.bin');
    assert.equal(refused.status, 400);
    assert.equal(refused.body?.['code'], 'file_size_too_small');
    assert.equal((await create(20_971_520, 'd.bin')).status, 201);
  });

  it('answers parts_mismatch to commits sooner than partsSettleMs after the last part', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, answers: { partsSettleMs: 600_000 } });
    const { data, session, parts } = await fullSession(localbox, 'settle.bin', 6);
    const early = await commit(localbox, session, parts, data);
    assert.equal(early.status, 400);
    assert.equal(early.body?.['code'], 'parts_mismatch');
    localbox.setAnswers({ partsSettleMs: 0 }); // as if the time had passed
    assert.equal((await commit(localbox, session, parts, data)).status, 201);
  });

  it('answers a replayed create with 409 session_conflict naming the earlier session', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const first = await createSession(localbox, 'conflict.bin', FILE_BYTES);
    const rule = { on: 'create-session', action: { kind: 'session-conflict' } };
    assert.equal((await call(localbox, 'POST', '/_localbox/faults', { json: rule })).status, 204);
    const replay = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
      json: { folder_id: '0', file_size: FILE_BYTES, file_name: 'conflict.bin' },
    });
    assert.equal(replay.status, 409);
    assert.equal(replay.body?.['code'], 'session_conflict');
    const named = (replay.body?.['context_info'] as Record<string, Record<string, unknown>>)['session']!;
    assert.equal(named['id'], first.id);
    assert.equal(named['type'], 'upload_session');
  });

  it('refuses answers it cannot give, with a sentence', async (t) => {
    const localbox = await localboxFor(t);
    const bad = await call(localbox, 'POST', '/_localbox/answers', { json: { commitReplay: 418 } });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body?.['message']), /"commitReplay" must be one of 200, 201, 400, 404, 409, 410/);
    const unknown = await call(localbox, 'POST', '/_localbox/answers', { json: { whatever: 1 } });
    assert.match(String(unknown.body?.['message']), /"whatever" is not an answer localbox can change/);
  });
});

describe('localbox: Box’s tolerance in what it accepts', () => {
  it('takes a path with a trailing slash as the same path', async (t) => {
    const localbox = await localboxFor(t);
    const preflight = await call(localbox, 'OPTIONS', '/2.0/files/content/', {
      json: { name: 'a.txt', size: 3, parent: { id: '0' } },
    });
    assert.equal(preflight.status, 200);
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0/items/')).status, 200);
  });

  it('takes the multipart file part whatever its field name, the attributes part still first', async (t) => {
    const localbox = await localboxFor(t);
    const content = patternBytes(3000, 7);
    const upload = async (fieldName: string, attributesFirst: boolean, name: string) => {
      const form = new FormData();
      const attributes = JSON.stringify({ name, parent: { id: '0' } });
      if (attributesFirst) form.append('attributes', attributes);
      form.append(fieldName, new Blob([content]), name);
      if (!attributesFirst) form.append('attributes', attributes);
      const response = await fetch(`${localbox.url}/api/2.0/files/content`, {
        method: 'POST',
        headers: { authorization: `Bearer ${localbox.token}` },
        body: form,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const rclone = await upload('contents', true, 'rclone.bin');
    assert.equal(rclone.status, 201);
    assert.equal((rclone.body['entries'] as Array<Record<string, unknown>>)[0]!['sha1'], sha1Hex(content));
    const late = await upload('contents', false, 'late.bin');
    assert.equal(late.status, 400);
    assert.equal(late.body['code'], 'metadata_after_file_contents');
  });

  it('reads header names in any case', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const file = await uploadBySession(localbox, 'case.bin', patternBytes(FILE_BYTES, 8));
    const answer = await rawExchange(localbox.url, [
      `GET /2.0/files/${String(file['id'])} HTTP/1.1\r\nHOST: 127.0.0.1\r\nAuthorization: Bearer ${localbox.token}\r\nConnection: close\r\n\r\n`,
    ]);
    assert.equal(statusOf(answer), 200);
    const lower = await rawExchange(localbox.url, [
      `GET /2.0/files/${String(file['id'])} HTTP/1.1\r\nhost: 127.0.0.1\r\nAUTHORIZATION: Bearer ${localbox.token}\r\nconnection: close\r\n\r\n`,
    ]);
    assert.equal(statusOf(lower), 200);
  });
});
