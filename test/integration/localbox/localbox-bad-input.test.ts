import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { commit, createSession, putAllParts, putPart } from '../../helpers/manual-upload.ts';
import { rawExchange, statusOf } from '../../helpers/raw-socket.ts';
import { patternBytes, sha1Base64, sha1Hex } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;
const FILE_BYTES = 21_000_000;

describe('localbox under bad input', () => {
  it('a client that disconnects mid-body leaves no part behind, and the session carries on', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const data = patternBytes(FILE_BYTES, 21);
    const session = await createSession(localbox, 'cut.bin', data.length);
    const path = new URL(session.session_endpoints.upload_part).pathname;
    const part = data.subarray(0, PART_BYTES);
    await rawExchange(
      localbox.url,
      [
        `PUT ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${localbox.token}\r\n` +
          `content-range: bytes 0-${PART_BYTES - 1}/${FILE_BYTES}\r\ndigest: sha=${sha1Base64(part)}\r\n` +
          `content-length: ${PART_BYTES}\r\n\r\n`,
        part.subarray(0, 1_000_000),
      ],
      { closeAfterSend: true },
    );
    await until(() => localbox.stats().partPutsInFlight === 0, 'the cut request ended on the server');
    const listed = await call(localbox, 'GET', session.session_endpoints.list_parts);
    assert.deepEqual(listed.body?.['entries'], []);
    const parts = await putAllParts(localbox, session, data);
    assert.equal((await commit(localbox, session, parts, data)).status, 201);
  });

  it('a body longer or shorter than its Content-Range is refused and not stored', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const data = patternBytes(FILE_BYTES, 22);
    const session = await createSession(localbox, 'lengths.bin', data.length);
    const path = new URL(session.session_endpoints.upload_part).pathname;
    const head = (extra: string) =>
      `PUT ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${localbox.token}\r\n` +
      `content-range: bytes 0-${PART_BYTES - 1}/${FILE_BYTES}\r\ndigest: sha=${sha1Base64(data.subarray(0, PART_BYTES))}\r\n${extra}\r\n`;
    const chunk = (bytes: Uint8Array) => `${bytes.length.toString(16)}\r\n${Buffer.from(bytes).toString('latin1')}\r\n`;
    const short = await rawExchange(
      localbox.url,
      [head('transfer-encoding: chunked\r\n'), Buffer.from(chunk(data.subarray(0, 100)), 'latin1'), '0\r\n\r\n'],
      { waitMs: 20_000, endOnAnswer: true },
    );
    assert.equal(statusOf(short), 400);
    const long = await rawExchange(
      localbox.url,
      [
        head('transfer-encoding: chunked\r\n'),
        Buffer.from(chunk(data.subarray(0, PART_BYTES)), 'latin1'),
        Buffer.from(chunk(data.subarray(0, 10)), 'latin1'),
        '0\r\n\r\n',
      ],
      { waitMs: 20_000, endOnAnswer: true },
    );
    assert.equal(statusOf(long), 400);
    const mismatchedLength = await rawExchange(localbox.url, [head('content-length: 5\r\n'), 'abcde'], {
      waitMs: 20_000,
      endOnAnswer: true,
    });
    assert.equal(statusOf(mismatchedLength), 400);
    assert.deepEqual((await call(localbox, 'GET', session.session_endpoints.list_parts)).body?.['entries'], []);
  });

  it('an absurd Content-Length is refused without reading the body', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const session = await createSession(localbox, 'absurd.bin', FILE_BYTES);
    const path = new URL(session.session_endpoints.upload_part).pathname;
    const answer = await rawExchange(localbox.url, [
      `PUT ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${localbox.token}\r\n` +
        `content-range: bytes 0-${PART_BYTES - 1}/${FILE_BYTES}\r\ndigest: sha=${sha1Base64(Buffer.alloc(1))}\r\n` +
        `content-length: 999999999999999\r\n\r\nxyz`,
    ]);
    assert.equal(statusOf(answer), 400);
    assert.match(answer, /"code":"bad_request"/);
  });

  it('a malformed request line or header block does not bring the server down', async (t) => {
    const localbox = await localboxFor(t);
    await rawExchange(localbox.url, ['GARBAGE\r\n\r\n'], { waitMs: 200 });
    await rawExchange(localbox.url, ['GET / HTTP/1.1\r\nbad header line\r\n\r\n'], { waitMs: 200 });
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0')).status, 200);
  });

  it('malformed JSON, non-object bodies and missing content type are Box errors', async (t) => {
    const localbox = await localboxFor(t);
    for (const body of ['not json', '[1,2]', '"text"', 'null']) {
      const response = await call(localbox, 'POST', '/2.0/folders', {
        body,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(response.status, 400, body);
      assert.equal(response.body?.['type'], 'error');
    }
    const multipart = await call(localbox, 'POST', '/api/2.0/files/content', {
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(multipart.status, 400);
    const truncated = await call(localbox, 'POST', '/api/2.0/files/content', {
      body: '--b\r\ncontent-disposition: form-data; name="attributes"\r\n\r\n{"name":"t","parent":{"id":"0"}}\r\n--b\r\ncontent-disposition: form-data; name="file"; filename="t"\r\n\r\nabc',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    assert.equal(truncated.status, 400);
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0/items')).body?.['total_count'], 0);
  });

  it('errors in one session leave other sessions unaffected', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const good = patternBytes(FILE_BYTES, 23);
    const goodSession = await createSession(localbox, 'good.bin', good.length);
    const badSession = await createSession(localbox, 'bad.bin', good.length);
    const results = await Promise.all([
      putAllParts(localbox, goodSession, good),
      putPart(localbox, badSession, good, 0, { digest: 'sha=AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }),
      putPart(localbox, badSession, good, 1, { 'content-range': 'bytes 1-2/3' }),
      call(localbox, 'DELETE', badSession.session_endpoints.abort),
    ]);
    const committed = await commit(localbox, goodSession, results[0], good);
    assert.equal(committed.status, 201);
    assert.equal((committed.body?.['entries'] as Array<Record<string, unknown>>)[0]!['sha1'], sha1Hex(good));
  });
});
