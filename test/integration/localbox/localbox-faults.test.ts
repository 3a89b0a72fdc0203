import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { commit, createSession, directUpload, putAllParts, putPart } from '../../helpers/manual-upload.ts';
import { patternBytes } from '../../helpers/test-files.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;
const FILE_BYTES = 21_000_000;

describe('localbox faults', () => {
  it('answers the Nth part with 503, 429 or 500 and retry-after, then recovers', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const data = patternBytes(FILE_BYTES, 41);
    const session = await createSession(localbox, 'faults.bin', data.length);
    localbox.faults.add({ on: 'upload-part', skip: 1, action: { kind: 'status', status: 503, retryAfterSeconds: 2 } });
    localbox.faults.add({ on: 'upload-part', skip: 2, action: { kind: 'status', status: 429, retryAfterSeconds: 1 } });
    localbox.faults.add({ on: 'upload-part', skip: 3, action: { kind: 'status', status: 500 } });
    assert.equal((await putPart(localbox, session, data, 0)).status, 200);
    const unavailable = await putPart(localbox, session, data, 1);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), '2');
    assert.equal(unavailable.body?.['code'], 'unavailable');
    const limited = await putPart(localbox, session, data, 1);
    assert.equal(limited.status, 429);
    assert.equal(limited.body?.['code'], 'rate_limit_exceeded');
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal((await putPart(localbox, session, data, 1)).status, 500);
    assert.equal((await putPart(localbox, session, data, 1)).status, 200);
    const attempts = localbox.stats().partAttempts.map((attempt) => [attempt.offset, attempt.status]);
    assert.deepEqual(attempts, [
      [0, 200],
      [PART_BYTES, 503],
      [PART_BYTES, 429],
      [PART_BYTES, 500],
      [PART_BYTES, 200],
    ]);
  });

  it('can store a part and drop the connection without answering (a lost response)', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const data = patternBytes(FILE_BYTES, 42);
    const session = await createSession(localbox, 'lost.bin', data.length);
    localbox.faults.add({ on: 'upload-part', action: { kind: 'lose-response' } });
    await assert.rejects(putPart(localbox, session, data, 0));
    const listed = await call(localbox, 'GET', session.session_endpoints.list_parts);
    assert.equal((listed.body?.['entries'] as unknown[]).length, 1, 'the part was stored');
    const retry = await putPart(localbox, session, data, 0);
    assert.equal(retry.status, 416);
    assert.equal(retry.body?.['code'], 'range_overlaps_existing_part');
  });

  it('can reset the connection mid-body; nothing is stored', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const data = patternBytes(FILE_BYTES, 43);
    const session = await createSession(localbox, 'reset.bin', data.length);
    localbox.faults.add({ on: 'upload-part', action: { kind: 'reset-mid-body', afterBytes: 1_000_000 } });
    await assert.rejects(putPart(localbox, session, data, 0));
    assert.deepEqual((await call(localbox, 'GET', session.session_endpoints.list_parts)).body?.['entries'], []);
    assert.equal((await putPart(localbox, session, data, 0)).status, 200);
  });

  it('answers commit with 202 + retry-after K times, then with a transient parts_mismatch, then commits', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const data = patternBytes(FILE_BYTES, 44);
    const session = await createSession(localbox, 'commit-faults.bin', data.length);
    const parts = await putAllParts(localbox, session, data);
    localbox.faults.add({ on: 'commit', times: 2, action: { kind: 'accepted', retryAfterSeconds: 1 } });
    localbox.faults.add({ on: 'commit', skip: 2, action: { kind: 'parts-mismatch' } });
    for (let i = 0; i < 2; i++) {
      const accepted = await commit(localbox, session, parts, data);
      assert.equal(accepted.status, 202);
      assert.equal(accepted.headers.get('retry-after'), '1');
    }
    assert.equal((await commit(localbox, session, parts, data)).body?.['code'], 'parts_mismatch');
    assert.equal((await commit(localbox, session, parts, data)).status, 201);
  });

  it('expires a session on request: 410 session_expired from then on', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const data = patternBytes(FILE_BYTES, 45);
    const session = await createSession(localbox, 'expire.bin', data.length);
    const other = await createSession(localbox, 'other.bin', data.length);
    await localbox.expireSessions(session.id);
    assert.equal((await putPart(localbox, session, data, 0)).status, 410);
    assert.equal((await call(localbox, 'GET', session.session_endpoints.status)).body?.['code'], 'session_expired');
    assert.equal((await putPart(localbox, other, data, 0)).status, 200, 'other sessions live on');
  });

  it('takes the same controls over HTTP with its token, for a localbox in another process', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const data = patternBytes(FILE_BYTES, 46);
    const session = await createSession(localbox, 'admin.bin', data.length);
    assert.equal((await call(localbox, 'POST', '/_localbox/faults', { token: 'nope', json: {} })).status, 401);
    const invalid = await call(localbox, 'POST', '/_localbox/faults', {
      json: { on: 'upload-part', action: { kind: 'explode' } },
    });
    assert.equal(invalid.status, 400);
    const added = await call(localbox, 'POST', '/_localbox/faults', {
      json: { on: 'upload-part', action: { kind: 'status', status: 503, retryAfterSeconds: 3 } },
    });
    assert.equal(added.status, 204);
    assert.equal((await putPart(localbox, session, data, 0)).status, 503);
    await call(localbox, 'POST', '/_localbox/faults', {
      json: { on: 'upload-part', action: { kind: 'status', status: 500 } },
    });
    assert.equal((await call(localbox, 'DELETE', '/_localbox/faults')).status, 204);
    assert.equal((await putPart(localbox, session, data, 0)).status, 200);
    const stats = await call(localbox, 'GET', '/_localbox/stats');
    assert.equal(stats.body?.['partsStored'], 1);
    assert.equal(stats.body?.['partBodyBytesReceived'], 2 * PART_BYTES);
    await call(localbox, 'POST', '/_localbox/expire-sessions', { json: {} });
    assert.equal((await putPart(localbox, session, data, 1)).status, 410);
    const original = localbox.token;
    assert.equal((await call(localbox, 'POST', '/_localbox/token', { json: { token: 'rotated' } })).status, 204);
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0', { token: original })).status, 401);
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0', { token: 'rotated' })).status, 200);
  });

  it('enforces an upload rate limit when configured: 429 rate_limit_exceeded with retry-after', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, uploadRequestsPerMinute: 2 });
    const data = patternBytes(FILE_BYTES, 47);
    const session = await createSession(localbox, 'limited.bin', data.length);
    assert.equal((await putPart(localbox, session, data, 0)).status, 200);
    assert.equal((await putPart(localbox, session, data, 1)).status, 200);
    const limited = await putPart(localbox, session, data, 2);
    assert.equal(limited.status, 429);
    // Box's answer (box-api.md section 13): its error object and retry-after in whole seconds.
    assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1 && Number(limited.headers.get('retry-after')) <= 60);
    assert.equal(limited.body?.['type'], 'error');
    assert.equal(limited.body?.['status'], 429);
    assert.equal(limited.body?.['code'], 'rate_limit_exceeded');
    assert.equal(limited.body?.['message'], 'Request rate limit exceeded, please try again later');
    assert.equal(localbox.stats().partsStored, 2, 'the refused part was not stored');
    assert.equal(localbox.stats().rateLimitedRequests, 1);
  });

  it('counts direct uploads against the same upload rate limit', async (t) => {
    const localbox = await localboxFor(t, { uploadRequestsPerMinute: 1 });
    const upload = (name: string) => directUpload(localbox, { name, parent: { id: '0' } }, patternBytes(1000, 3));
    assert.equal((await upload('first.bin')).status, 201);
    const limited = await upload('second.bin');
    assert.equal(limited.status, 429);
    assert.equal(limited.body?.['code'], 'rate_limit_exceeded');
    assert.equal(localbox.stats().rateLimitedRequests, 1);
  });
});

describe('localbox traffic shaping', () => {
  // Shaping can only be observed in time. These are lower bounds, which a slow machine cannot
  // break: they check that the delay exists, never that anything is fast.
  it('delays every response by --latency-ms', async (t) => {
    const localbox = await localboxFor(t, { latencyMs: 150 });
    const started = performance.now();
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0')).status, 200);
    assert.ok(performance.now() - started >= 145);
  });

  it('caps each connection’s request-body throughput at --conn-bandwidth', async (t) => {
    const partBytes = 2 * 1024 * 1024;
    const localbox = await localboxFor(t, { partSize: partBytes, connBandwidthBytesPerSec: 1_000_000 });
    const data = patternBytes(FILE_BYTES, 48);
    const session = await createSession(localbox, 'shaped.bin', data.length);
    const started = performance.now();
    assert.equal((await putPart(localbox, session, data, 0)).status, 200);
    const elapsedMs = performance.now() - started;
    // 2 MiB at 1 MB/s, minus the 20 ms burst the bucket starts with.
    assert.ok(elapsedMs >= ((partBytes - 20_000) / 1_000_000) * 1000 * 0.95, `${elapsedMs} ms`);
  });

  it('caps all connections’ request bodies together at --total-bandwidth', async (t) => {
    const partBytes = 1024 * 1024;
    const localbox = await localboxFor(t, { partSize: partBytes, totalBandwidthBytesPerSec: 4_000_000 });
    const data = patternBytes(FILE_BYTES, 49);
    const session = await createSession(localbox, 'shared.bin', data.length);
    const started = performance.now();
    // Four parts at once on four connections: they share the one budget.
    const answers = await Promise.all([0, 1, 2, 3].map((index) => putPart(localbox, session, data, index)));
    const elapsedMs = performance.now() - started;
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200, 200],
    );
    // 4 MiB at 4 MB/s together (each connection alone would be unlimited), minus the 80 kB burst.
    assert.ok(elapsedMs >= ((4 * partBytes - 80_000) / 4_000_000) * 1000 * 0.95, `${elapsedMs} ms`);
  });
});
