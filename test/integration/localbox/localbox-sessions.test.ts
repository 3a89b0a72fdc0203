import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import {
  commit,
  createSession,
  putAllParts,
  putPart,
  uploadBySession,
  type SessionBody,
} from '../../helpers/manual-upload.ts';
import { patternBytes, sha1Base64, sha1Hex } from '../../helpers/test-files.ts';

const ODD_PART_BYTES = 5 * 1024 * 1024 + 1;
const FILE_BYTES = 21_000_000;

describe('localbox upload sessions', () => {
  it('creates a session whose part size and endpoints come from the server', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES });
    const response = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
      json: { folder_id: '0', file_size: FILE_BYTES, file_name: 'movie.mov' },
    });
    assert.equal(response.status, 201);
    const session = response.body as unknown as SessionBody & Record<string, unknown>;
    assert.match(session.id, /^[0-9A-F]{32}$/);
    assert.equal(session['type'], 'upload_session');
    assert.equal(session.part_size, ODD_PART_BYTES);
    assert.equal(session.total_parts, Math.ceil(FILE_BYTES / ODD_PART_BYTES));
    assert.equal(session['num_parts_processed'], 0);
    const base = `${localbox.url}/api/2.0/files/upload_sessions/${session.id}`;
    assert.deepEqual(session.session_endpoints, {
      upload_part: base,
      commit: `${base}/commit`,
      abort: base,
      list_parts: `${base}/parts`,
      status: base,
      log_event: `${base}/log`,
    });
    assert.ok(response.headers.get('box-request-id'));
  });

  it('builds session endpoints from the Host header, so a proxied client is sent back through the proxy', async (t) => {
    const localbox = await localboxFor(t, { hostNames: ['proxy.example'] });
    const { request } = await import('node:http');
    const body = JSON.stringify({ folder_id: '0', file_size: FILE_BYTES, file_name: 'proxied.bin' });
    const session = await new Promise<SessionBody>((resolve, reject) => {
      const req = request(`${localbox.url}/api/2.0/files/upload_sessions`, {
        method: 'POST',
        headers: {
          host: 'proxy.example:8443',
          authorization: `Bearer ${localbox.token}`,
          'content-type': 'application/json',
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(text) as SessionBody));
      });
      req.on('error', reject);
      req.end(body);
    });
    assert.equal(
      session.session_endpoints.commit,
      `http://proxy.example:8443/api/2.0/files/upload_sessions/${session.id}/commit`,
    );
  });

  it('uses Box-like part sizes by default and fixed sizes when asked', async (t) => {
    const boxLike = await localboxFor(t);
    assert.equal((await createSession(boxLike, 'a.bin', 21_000_000)).part_size, 8 * 1024 * 1024);
    assert.equal((await createSession(boxLike, 'b.bin', 1_000_000_000)).part_size, 32 * 1024 * 1024);
    assert.equal((await createSession(boxLike, 'c.bin', 8_000_000_000)).part_size, 64 * 1024 * 1024);
  });

  it('rejects what Box rejects when creating a session, with Box error objects', async (t) => {
    const localbox = await localboxFor(t);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ file_size: FILE_BYTES, file_name: 'x' }, 400, 'missing_destination'],
      [{ folder_id: 12, file_size: FILE_BYTES, file_name: 'x' }, 400, 'invalid_folder_id'],
      [{ folder_id: '0', file_name: 'x' }, 400, 'missing_file_size'],
      [{ folder_id: '0', file_size: '21000000', file_name: 'x' }, 400, 'invalid_file_size'],
      [{ folder_id: '0', file_size: -5, file_name: 'x' }, 400, 'invalid_file_size'],
      [{ folder_id: '0', file_size: 19_999_999, file_name: 'x' }, 400, 'file_size_too_small'],
      [{ folder_id: '0', file_size: 2 ** 53 - 1, file_name: 'x' }, 403, 'file_size_limit_exceeded'],
      [{ folder_id: '0', file_size: FILE_BYTES }, 400, 'missing_file_name'],
      [{ folder_id: '0', file_size: FILE_BYTES, file_name: 'a/b' }, 400, 'item_name_invalid'],
      [{ folder_id: '0', file_size: FILE_BYTES, file_name: '..' }, 400, 'item_name_invalid'],
      [{ folder_id: '0', file_size: FILE_BYTES, file_name: 'x'.repeat(256) }, 400, 'item_name_too_long'],
      [{ folder_id: '987654321', file_size: FILE_BYTES, file_name: 'x' }, 404, 'invalid_parameter'],
    ];
    for (const [json, status, code] of cases) {
      const response = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', { json });
      assert.equal(response.status, status, `${JSON.stringify(json)} -> ${JSON.stringify(response.body)}`);
      assert.equal(response.body?.['code'], code);
      assert.equal(response.body?.['type'], 'error');
      assert.equal(response.body?.['status'], status);
      assert.equal(typeof response.body?.['request_id'], 'string');
    }
    const malformed = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
      body: '{"folder_id": ',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body?.['code'], 'bad_request');
  });

  it('names are unique per folder regardless of case: 409 with the existing file as one object', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES });
    const data = patternBytes(FILE_BYTES);
    const file = await uploadBySession(localbox, 'Report.PDF', data);
    const response = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
      json: { folder_id: '0', file_size: FILE_BYTES, file_name: 'report.pdf' },
    });
    assert.equal(response.status, 409);
    assert.equal(response.body?.['code'], 'item_name_in_use');
    const conflicts = (response.body?.['context_info'] as Record<string, Record<string, unknown>>)['conflicts']!;
    assert.equal(conflicts['id'], file['id']);
    assert.equal(conflicts['sha1'], sha1Hex(data));
  });

  it('stores parts with and without Content-Length, for every digest spelling Box clients send', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES });
    const data = patternBytes(FILE_BYTES, 7);
    const session = await createSession(localbox, 'digests.bin', data.length);
    const { createHash } = await import('node:crypto');
    const part = (index: number) =>
      data.subarray(index * ODD_PART_BYTES, Math.min(data.length, (index + 1) * ODD_PART_BYTES));
    const spellings = [
      (bytes: Uint8Array) => `sha=${sha1Base64(bytes)}`,
      (bytes: Uint8Array) => `SHA=${sha1Base64(bytes)}`,
      (bytes: Uint8Array) => `sha-1=${sha1Base64(bytes)}`,
      (bytes: Uint8Array) => `sha-256=${createHash('sha256').update(bytes).digest('base64')}`,
      (bytes: Uint8Array) => `md5=AAAA, sha=${sha1Base64(bytes)}`,
    ];
    for (let index = 0; index < session.total_parts; index++) {
      const response = await putPart(localbox, session, data, index, { digest: spellings[index]!(part(index)) });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const stored = response.body?.['part'] as Record<string, unknown>;
      assert.equal(stored['offset'], index * ODD_PART_BYTES);
      assert.equal(stored['size'], part(index).length);
      assert.equal(stored['sha1'], sha1Hex(part(index)));
      assert.match(String(stored['part_id']), /^[0-9A-F]{8}$/);
    }
    // A chunked (no Content-Length) body, as box-node-sdk v10 streams it.
    const chunkedSession = await createSession(localbox, 'chunked.bin', data.length);
    const { Readable } = await import('node:stream');
    const bytes = part(0);
    const response = await fetch(chunkedSession.session_endpoints.upload_part, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${localbox.token}`,
        'content-range': `bytes 0-${bytes.length - 1}/${data.length}`,
        digest: `sha=${sha1Base64(bytes)}`,
      },
      body: Readable.toWeb(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)])) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(response.status, 200);
  });

  it('answers a repeated part with 416 range_overlaps_existing_part naming the stored part', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES });
    const data = patternBytes(FILE_BYTES, 3);
    const session = await createSession(localbox, 'overlap.bin', data.length);
    const first = await putPart(localbox, session, data, 1);
    const again = await putPart(localbox, session, data, 1);
    assert.equal(again.status, 416);
    assert.equal(again.body?.['code'], 'range_overlaps_existing_part');
    assert.deepEqual(
      (again.body?.['context_info'] as Record<string, unknown>)['conflicting_part'],
      first.body?.['part'],
    );
  });

  it('rejects ranges that do not fit the session and digests that do not match', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES });
    const data = patternBytes(FILE_BYTES, 4);
    const session = await createSession(localbox, 'ranges.bin', data.length);
    const last = FILE_BYTES - 1;
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ 'content-range': `bytes 1-${ODD_PART_BYTES}/${FILE_BYTES}` }, 416, 'requested_range_not_satisfiable'],
      [{ 'content-range': `bytes 0-${ODD_PART_BYTES - 2}/${FILE_BYTES}` }, 416, 'requested_range_not_satisfiable'],
      [{ 'content-range': `bytes 0-${ODD_PART_BYTES - 1}/${FILE_BYTES + 1}` }, 416, 'requested_range_not_satisfiable'],
      [
        { 'content-range': `bytes ${ODD_PART_BYTES * 4}-${last + 10}/${FILE_BYTES}` },
        416,
        'requested_range_not_satisfiable',
      ],
      [{ 'content-range': `bytes 100-5/${FILE_BYTES}` }, 416, 'requested_range_not_satisfiable'],
      [{ 'content-range': 'bytes a-b/c' }, 400, 'bad_request'],
      [{ 'content-range': 'items 0-1/2' }, 400, 'bad_request'],
      [{ digest: 'sha=AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, 412, 'precondition_failed'],
      [{ digest: 'crc32c=abc' }, 400, 'bad_request'],
      [{ digest: 'sha=not base64!' }, 400, 'bad_request'],
    ];
    for (const [headers, status, code] of cases) {
      const response = await putPart(localbox, session, data, 0, headers);
      assert.equal(response.status, status, `${JSON.stringify(headers)} -> ${JSON.stringify(response.body)}`);
      assert.equal(response.body?.['code'], code);
    }
    const withoutRange = await call(localbox, 'PUT', session.session_endpoints.upload_part, {
      body: data.subarray(0, ODD_PART_BYTES),
      headers: { digest: `sha=${sha1Base64(data.subarray(0, ODD_PART_BYTES))}` },
    });
    assert.equal(withoutRange.status, 400);
    const withoutDigest = await call(localbox, 'PUT', session.session_endpoints.upload_part, {
      body: data.subarray(0, ODD_PART_BYTES),
      headers: { 'content-range': `bytes 0-${ODD_PART_BYTES - 1}/${FILE_BYTES}` },
    });
    assert.equal(withoutDigest.status, 400);
    const parts = await call(localbox, 'GET', session.session_endpoints.list_parts);
    assert.deepEqual(parts.body?.['entries'], [], 'no rejected part was stored');
  });

  it('lists parts by entry index with total_count = total_parts, and checks paging values', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES });
    const data = patternBytes(FILE_BYTES, 5);
    const session = await createSession(localbox, 'list.bin', data.length);
    await putPart(localbox, session, data, 3);
    await putPart(localbox, session, data, 0);
    await putPart(localbox, session, data, 2);
    const all = await call(localbox, 'GET', session.session_endpoints.list_parts);
    assert.equal(all.body?.['total_count'], session.total_parts);
    assert.deepEqual(
      (all.body?.['entries'] as Array<{ offset: number }>).map((part) => part.offset),
      [0, 2 * ODD_PART_BYTES, 3 * ODD_PART_BYTES],
    );
    const page = await call(localbox, 'GET', `${session.session_endpoints.list_parts}?offset=1&limit=1`);
    assert.deepEqual(
      (page.body?.['entries'] as Array<{ offset: number }>).map((part) => part.offset),
      [2 * ODD_PART_BYTES],
    );
    assert.equal(page.body?.['offset'], 1);
    assert.equal(page.body?.['limit'], 1);
    for (const [query, code] of [
      ['limit=0', 'invalid_limit'],
      ['limit=1001', 'invalid_limit'],
      ['limit=x', 'invalid_limit'],
      ['offset=10001', 'invalid_offset'],
      ['offset=-1', 'invalid_offset'],
    ]) {
      const response = await call(localbox, 'GET', `${session.session_endpoints.list_parts}?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(response.body?.['code'], code);
    }
    const status = await call(localbox, 'GET', session.session_endpoints.status);
    assert.equal(status.body?.['num_parts_processed'], 3);
  });

  it('commits: checks the parts list and the whole-file digest, then creates the file', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES });
    const data = patternBytes(FILE_BYTES, 6);
    const session = await createSession(localbox, 'commit.bin', data.length);
    const parts = await putAllParts(localbox, session, data);

    const missing = await commit(localbox, session, parts.slice(1), data);
    assert.equal(missing.status, 400);
    assert.equal(missing.body?.['code'], 'parts_mismatch');
    const reordered = await commit(localbox, session, [parts[1], parts[0], ...parts.slice(2)], data);
    assert.equal(reordered.body?.['code'], 'parts_mismatch');
    const wrongDigest = await commit(localbox, session, parts, data, {
      digest: `sha=${sha1Base64(Buffer.from('other'))}`,
    });
    assert.equal(wrongDigest.status, 400);
    assert.equal(wrongDigest.body?.['code'], 'digest_mismatch');
    assert.match(String(wrongDigest.body?.['message']), /^File digest was incorrect\. Actual: \S+ Expected: \S+$/);

    const committed = await commit(localbox, session, parts, data, {
      'content-type': 'application/json',
    });
    assert.equal(committed.status, 201);
    assert.equal(committed.body?.['total_count'], 1);
    const file = (committed.body?.['entries'] as Array<Record<string, unknown>>)[0]!;
    assert.equal(file['type'], 'file');
    assert.equal(file['name'], 'commit.bin');
    assert.equal(file['sha1'], sha1Hex(data));
    assert.equal(file['size'], data.length);
    const download = await fetch(`${localbox.url}/2.0/files/${file['id']}/content`, {
      headers: { authorization: `Bearer ${localbox.token}` },
    });
    assert.equal(sha1Hex(Buffer.from(await download.arrayBuffer())), sha1Hex(data));

    const again = await commit(localbox, session, parts, data);
    assert.equal(again.status, 201, 'a repeated commit answers with the same file');
    assert.equal((again.body?.['entries'] as Array<Record<string, unknown>>)[0]!['id'], file['id']);
  });

  it('commit finds a name taken since the session began: 409', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES });
    const data = patternBytes(FILE_BYTES, 8);
    const first = await createSession(localbox, 'race.bin', data.length);
    const second = await createSession(localbox, 'RACE.bin', data.length);
    const firstParts = await putAllParts(localbox, first, data);
    const secondParts = await putAllParts(localbox, second, data);
    assert.equal((await commit(localbox, first, firstParts, data)).status, 201);
    const lost = await commit(localbox, second, secondParts, data);
    assert.equal(lost.status, 409);
    assert.equal(lost.body?.['code'], 'item_name_in_use');
  });

  it('uploads a new version through a file session, honouring If-Match', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES });
    const original = await uploadBySession(localbox, 'doc.bin', patternBytes(FILE_BYTES, 9));
    const next = patternBytes(FILE_BYTES + 5, 10);
    const created = await call(localbox, 'POST', `/api/2.0/files/${original['id']}/upload_sessions`, {
      json: { file_size: next.length, file_name: 'doc-v2.bin' },
    });
    assert.equal(created.status, 201);
    const session = created.body as unknown as SessionBody;
    const parts = await putAllParts(localbox, session, next);
    const stale = await commit(localbox, session, parts, next, { 'if-match': '99' });
    assert.equal(stale.status, 412);
    const committed = await commit(localbox, session, parts, next, { 'if-match': String(original['etag']) });
    assert.equal(committed.status, 201);
    const file = (committed.body?.['entries'] as Array<Record<string, unknown>>)[0]!;
    assert.equal(file['id'], original['id']);
    assert.equal(file['name'], 'doc-v2.bin');
    assert.equal(file['sha1'], sha1Hex(next));
    assert.notEqual(
      (file['file_version'] as Record<string, unknown>)['id'],
      (original['file_version'] as Record<string, unknown>)['id'],
    );
    const unknown = await call(localbox, 'POST', '/api/2.0/files/4242/upload_sessions', {
      json: { file_size: FILE_BYTES },
    });
    assert.equal(unknown.status, 404);
  });

  it('abort discards the session: 204, then 404 for every later call', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES });
    const data = patternBytes(FILE_BYTES, 11);
    const session = await createSession(localbox, 'abort.bin', data.length);
    await putPart(localbox, session, data, 0);
    const aborted = await call(localbox, 'DELETE', session.session_endpoints.abort);
    assert.equal(aborted.status, 204);
    assert.equal((await call(localbox, 'GET', session.session_endpoints.status)).status, 404);
    assert.equal((await putPart(localbox, session, data, 1)).status, 404);
    assert.equal((await call(localbox, 'GET', session.session_endpoints.list_parts)).status, 404);
  });

  it('expired sessions answer 410 session_expired; unknown ids 404; malformed ids 400', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES, sessionLifetimeMs: 1 });
    const data = patternBytes(FILE_BYTES, 12);
    const session = await createSession(localbox, 'expired.bin', data.length);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const response = await putPart(localbox, session, data, 0);
    assert.equal(response.status, 410);
    assert.equal(response.body?.['code'], 'session_expired');
    assert.equal(
      (await call(localbox, 'GET', '/api/2.0/files/upload_sessions/0123456789ABCDEF0123456789ABCDEF')).status,
      404,
    );
    const malformed = await call(localbox, 'GET', '/api/2.0/files/upload_sessions/nope');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body?.['code'], 'invalid_upload_session_id');
  });

  it('requires a bearer token: 401 with www-authenticate', async (t) => {
    const localbox = await localboxFor(t);
    for (const token of [null, 'wrong']) {
      const response = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
        token,
        json: { folder_id: '0', file_size: FILE_BYTES, file_name: 'x' },
      });
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /invalid_token/);
    }
  });

  it('sends lowercase headers and string ids', async (t) => {
    const localbox = await localboxFor(t, { partSize: ODD_PART_BYTES });
    const { request } = await import('node:http');
    const raw = await new Promise<string[]>((resolve, reject) => {
      const req = request(`${localbox.url}/2.0/folders/0`, { headers: { authorization: `Bearer ${localbox.token}` } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.rawHeaders.filter((_, index) => index % 2 === 0));
      });
      req.on('error', reject);
      req.end();
    });
    for (const name of raw) assert.equal(name, name.toLowerCase());
  });
});
