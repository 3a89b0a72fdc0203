import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startLocalbox } from '../../../electron/localbox/localbox.ts';
import { call } from '../../helpers/localbox-fixture.ts';
import { commit, createSession, directUpload, putAllParts, putPart } from '../../helpers/manual-upload.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { patternBytes, sha1Hex } from '../../helpers/test-files.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;

describe('localbox persistence', () => {
  it('keeps folders, files, sessions and stored parts across a restart, and drops half-received parts', async (t) => {
    const dataDir = await tempDir(t);
    const options = { dataDir, token: 'persist-token', partSize: PART_BYTES };
    const first = await startLocalbox(options);
    const folder = await call(first, 'POST', '/2.0/folders', { json: { name: 'Kept', parent: { id: '0' } } });
    const small = patternBytes(3000, 31);
    const direct = await directUpload(first, { name: 'small.txt', parent: { id: String(folder.body?.['id']) } }, small);
    const data = patternBytes(21_000_000, 32);
    const session = await createSession(first, 'big.bin', data.length);
    await putPart(first, session, data, 0);
    await putPart(first, session, data, 2);
    await first.stop();

    // What a crash in the middle of receiving part 1 leaves on disk.
    const sessionDir = join(dataDir, 'sessions', session.id);
    await writeFile(join(sessionDir, '1.part'), 'half of a part');
    await writeFile(join(sessionDir, '3.abcd1234.tmp'), 'partial');

    const second = await startLocalbox({ ...options, port: Number(new URL(first.url).port) });
    t.after(() => second.stop());
    const file = (direct.body['entries'] as Array<Record<string, unknown>>)[0]!;
    const info = await call(second, 'GET', `/2.0/files/${file['id']}`);
    assert.equal(info.body?.['sha1'], sha1Hex(small));
    assert.equal((info.body?.['parent'] as Record<string, unknown>)['name'], 'Kept');
    const listed = await call(second, 'GET', session.session_endpoints.list_parts);
    assert.deepEqual(
      (listed.body?.['entries'] as Array<{ offset: number }>).map((part) => part.offset),
      [0, 2 * PART_BYTES],
    );
    const leftovers = await readdir(sessionDir);
    assert.ok(!leftovers.includes('1.part') && !leftovers.some((name) => name.endsWith('.tmp')), leftovers.join());

    for (const index of [1, 3, 4]) assert.equal((await putPart(second, session, data, index)).status, 200);
    const parts = (await call(second, 'GET', session.session_endpoints.list_parts)).body?.['entries'] as unknown[];
    const committed = await commit(second, session, parts, data);
    assert.equal(committed.status, 201);
    assert.equal((committed.body?.['entries'] as Array<Record<string, unknown>>)[0]!['sha1'], sha1Hex(data));
  });

  it('serves a committed file after a restart', async (t) => {
    const dataDir = await tempDir(t);
    const first = await startLocalbox({ dataDir, token: 't', partSize: PART_BYTES });
    const data = patternBytes(20_000_000, 33);
    const session = await createSession(first, 'kept.bin', data.length);
    const committed = await commit(first, session, await putAllParts(first, session, data), data);
    await first.stop();
    const second = await startLocalbox({ dataDir, token: 't' });
    t.after(() => second.stop());
    const id = (committed.body?.['entries'] as Array<Record<string, unknown>>)[0]!['id'];
    const download = await fetch(`${second.url}/2.0/files/${id}/content`, { headers: { authorization: 'Bearer t' } });
    assert.equal(sha1Hex(Buffer.from(await download.arrayBuffer())), sha1Hex(data));
  });
});
