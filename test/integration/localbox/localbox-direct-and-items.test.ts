import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { directUpload } from '../../helpers/manual-upload.ts';
import { patternBytes, sha1Hex } from '../../helpers/test-files.ts';

const firstEntry = (body: Record<string, unknown>) => (body['entries'] as Array<Record<string, unknown>>)[0]!;

describe('localbox direct uploads', () => {
  it('creates a file from a multipart body with attributes first: 201', async (t) => {
    const localbox = await localboxFor(t);
    const content = patternBytes(123_457);
    const response = await directUpload(
      localbox,
      { name: 'notes.txt', parent: { id: '0' }, content_modified_at: '2026-01-02T03:04:05Z' },
      content,
      { headers: { 'content-md5': sha1Hex(content) } },
    );
    assert.equal(response.status, 201);
    const file = firstEntry(response.body);
    assert.equal(file['name'], 'notes.txt');
    assert.equal(file['sha1'], sha1Hex(content));
    assert.equal(file['size'], content.length);
    assert.equal(file['content_modified_at'], '2026-01-02T03:04:05Z');
  });

  it('accepts an empty file', async (t) => {
    const localbox = await localboxFor(t);
    const response = await directUpload(localbox, { name: 'empty', parent: { id: '0' } }, new Uint8Array(0));
    assert.equal(response.status, 201);
    assert.equal(firstEntry(response.body)['size'], 0);
    assert.equal(firstEntry(response.body)['sha1'], sha1Hex(new Uint8Array(0)));
  });

  it('rejects a file part before the attributes: 400 metadata_after_file_contents', async (t) => {
    const localbox = await localboxFor(t);
    const response = await directUpload(localbox, { name: 'late.txt', parent: { id: '0' } }, patternBytes(1000), {
      fileFirst: true,
    });
    assert.equal(response.status, 400);
    assert.equal(response.body['code'], 'metadata_after_file_contents');
  });

  it('checks content-md5 (a SHA-1 despite its name): 400 bad_digest', async (t) => {
    const localbox = await localboxFor(t);
    const response = await directUpload(localbox, { name: 'bad.txt', parent: { id: '0' } }, patternBytes(1000), {
      headers: { 'content-md5': sha1Hex(Buffer.from('something else')) },
    });
    assert.equal(response.status, 400);
    assert.equal(response.body['code'], 'bad_digest');
    const listing = await call(localbox, 'GET', '/2.0/folders/0/items');
    assert.equal(listing.body?.['total_count'], 0, 'nothing was stored');
  });

  it('rejects bad names, missing parents and taken names', async (t) => {
    const localbox = await localboxFor(t);
    await directUpload(localbox, { name: 'taken.txt', parent: { id: '0' } }, patternBytes(10));
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ name: 'a\\b', parent: { id: '0' } }, 400, 'item_name_invalid'],
      [{ name: 'trailing ', parent: { id: '0' } }, 400, 'item_name_invalid'],
      [{ name: 'n'.repeat(300), parent: { id: '0' } }, 400, 'item_name_too_long'],
      [{ name: 'orphan.txt', parent: { id: '55555' } }, 404, 'not_found'],
      [{ name: 'TAKEN.txt', parent: { id: '0' } }, 409, 'item_name_in_use'],
      [{ parent: { id: '0' } }, 400, 'bad_request'],
    ];
    for (const [attributes, status, code] of cases) {
      const response = await directUpload(localbox, attributes, patternBytes(100));
      assert.equal(response.status, status, JSON.stringify(attributes));
      assert.equal(response.body['code'], code);
    }
  });

  it('uploads a new version: 200, with If-Match', async (t) => {
    const localbox = await localboxFor(t);
    const first = firstEntry(
      (await directUpload(localbox, { name: 'v.txt', parent: { id: '0' } }, patternBytes(50, 1))).body,
    );
    const stale = await directUpload(localbox, {}, patternBytes(60, 2), {
      path: `/api/2.0/files/${first['id']}/content`,
      headers: { 'if-match': '7' },
    });
    assert.equal(stale.status, 412);
    const next = patternBytes(60, 2);
    const response = await directUpload(localbox, { name: 'v2.txt' }, next, {
      path: `/api/2.0/files/${first['id']}/content`,
      headers: { 'if-match': String(first['etag']) },
    });
    assert.equal(response.status, 200);
    assert.equal(firstEntry(response.body)['id'], first['id']);
    assert.equal(firstEntry(response.body)['name'], 'v2.txt');
    assert.equal(firstEntry(response.body)['sha1'], sha1Hex(next));
  });

  it('preflight answers with an absolute upload_url on this server, or the conflict', async (t) => {
    const localbox = await localboxFor(t);
    const ok = await call(localbox, 'OPTIONS', '/2.0/files/content', {
      json: { name: 'p.txt', size: 10, parent: { id: '0' } },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body?.['upload_url'], `${localbox.url}/api/2.0/files/content`);
    await directUpload(localbox, { name: 'p.txt', parent: { id: '0' } }, patternBytes(10));
    const conflict = await call(localbox, 'OPTIONS', '/2.0/files/content', {
      json: { name: 'P.TXT', size: 10, parent: { id: '0' } },
    });
    assert.equal(conflict.status, 409);
    const negative = await call(localbox, 'OPTIONS', '/2.0/files/content', {
      json: { name: 'n.txt', size: -1, parent: { id: '0' } },
    });
    assert.equal(negative.status, 400);
  });
});

describe('localbox folders and files', () => {
  it('creates folders; a taken name gives 409 with the conflict in an array', async (t) => {
    const localbox = await localboxFor(t);
    const created = await call(localbox, 'POST', '/2.0/folders', { json: { name: 'Photos', parent: { id: '0' } } });
    assert.equal(created.status, 201);
    assert.equal(created.body?.['type'], 'folder');
    assert.equal(typeof created.body?.['id'], 'string');
    assert.deepEqual((created.body?.['parent'] as Record<string, unknown>)['id'], '0');
    const again = await call(localbox, 'POST', '/2.0/folders', { json: { name: 'photos', parent: { id: '0' } } });
    assert.equal(again.status, 409);
    const conflicts = (again.body?.['context_info'] as Record<string, unknown>)['conflicts'] as Array<
      Record<string, unknown>
    >;
    assert.equal(conflicts[0]!['id'], created.body?.['id']);
    const missingParent = await call(localbox, 'POST', '/2.0/folders', {
      json: { name: 'x', parent: { id: '31337' } },
    });
    assert.equal(missingParent.status, 404);
  });

  it('lists items folders first, with offset/limit paging, and path collections', async (t) => {
    const localbox = await localboxFor(t);
    const folder = await call(localbox, 'POST', '/2.0/folders', { json: { name: 'B', parent: { id: '0' } } });
    const folderId = String(folder.body?.['id']);
    for (const name of ['c.txt', 'a.txt'])
      await directUpload(localbox, { name, parent: { id: folderId } }, patternBytes(5));
    await call(localbox, 'POST', '/2.0/folders', { json: { name: 'z-sub', parent: { id: folderId } } });
    const all = await call(localbox, 'GET', `/2.0/folders/${folderId}/items`);
    assert.equal(all.body?.['total_count'], 3);
    assert.deepEqual(
      (all.body?.['entries'] as Array<{ name: string }>).map((entry) => entry.name),
      ['z-sub', 'a.txt', 'c.txt'],
    );
    const page = await call(localbox, 'GET', `/2.0/folders/${folderId}/items?offset=1&limit=1`);
    assert.deepEqual(
      (page.body?.['entries'] as Array<{ name: string }>).map((entry) => entry.name),
      ['a.txt'],
    );
    const info = await call(localbox, 'GET', `/2.0/folders/${folderId}`);
    assert.equal((info.body?.['path_collection'] as Record<string, unknown>)['total_count'], 1);
    assert.equal((info.body?.['item_collection'] as Record<string, unknown>)['total_count'], 3);
    assert.equal((await call(localbox, 'GET', '/2.0/folders/abc/items')).status, 405);
    assert.equal((await call(localbox, 'GET', '/2.0/folders/123456/items')).status, 404);
    assert.equal((await call(localbox, 'GET', `/2.0/folders/${folderId}/items?limit=5000`)).status, 400);
  });

  it('pages items by marker with usemarker=true: next_marker until the last page, no total_count or offset', async (t) => {
    const localbox = await localboxFor(t);
    for (const name of ['d', 'a', 'c', 'b', 'e'])
      await call(localbox, 'POST', '/2.0/folders', { json: { name, parent: { id: '0' } } });
    const pageAt = async (marker: string | undefined) => {
      const query = `usemarker=true&limit=2${marker === undefined ? '' : `&marker=${encodeURIComponent(marker)}`}`;
      const page = await call(localbox, 'GET', `/2.0/folders/0/items?${query}`);
      assert.equal(page.status, 200);
      assert.ok(!('total_count' in page.body!) && !('offset' in page.body!), 'marker pages carry no offsets');
      return page.body as { entries: Array<{ name: string }>; next_marker?: string | null; limit: number };
    };
    const names: string[] = [];
    let page = await pageAt(undefined);
    for (; ; page = await pageAt(page.next_marker!)) {
      assert.equal(page.limit, 2);
      names.push(...page.entries.map((entry) => entry.name));
      if (page.next_marker === null) break;
      assert.equal(typeof page.next_marker, 'string');
    }
    assert.deepEqual(names, ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(
      (await pageAt('0')).entries.map((entry) => entry.name),
      ['a', 'b'],
      'marker 0 is the first page',
    );

    localbox.setAnswers({ lastNextMarker: 'empty', folderItemsPageMax: 3 });
    const short = await pageAt(undefined);
    assert.equal(short.entries.length, 2, 'a page holds what limit asked when under the maximum');
    const wide = await call(localbox, 'GET', '/2.0/folders/0/items?usemarker=true&limit=1000');
    assert.equal((wide.body?.['entries'] as unknown[]).length, 3, 'and no more than the maximum');
    assert.equal((await pageAt(wide.body?.['next_marker'] as string)).next_marker, '');
    localbox.setAnswers({ lastNextMarker: 'absent' });
    assert.ok(!('next_marker' in (await pageAt(wide.body?.['next_marker'] as string))));
    const elsewhere = await call(localbox, 'GET', '/2.0/folders/0/items?usemarker=true&marker=MTIzOjE');
    assert.equal(elsewhere.status, 400, "another folder's marker is refused");
  });

  it('returns file info and content; unknown ids are 404', async (t) => {
    const localbox = await localboxFor(t);
    const content = patternBytes(4096, 3);
    const file = firstEntry((await directUpload(localbox, { name: 'f.bin', parent: { id: '0' } }, content)).body);
    const info = await call(localbox, 'GET', `/2.0/files/${file['id']}`);
    assert.equal(info.body?.['sha1'], sha1Hex(content));
    assert.equal(info.body?.['size'], content.length);
    assert.equal((info.body?.['parent'] as Record<string, unknown>)['id'], '0');
    assert.equal(typeof info.body?.['etag'], 'string');
    assert.equal((info.body?.['file_version'] as Record<string, unknown>)['type'], 'file_version');
    const download = await fetch(`${localbox.url}/2.0/files/${file['id']}/content`, {
      headers: { authorization: `Bearer ${localbox.token}` },
    });
    assert.equal(sha1Hex(Buffer.from(await download.arrayBuffer())), sha1Hex(content));
    assert.equal((await call(localbox, 'GET', '/2.0/files/999')).status, 404);
  });

  it('can emit conflicts as arrays everywhere, to test client tolerance', async (t) => {
    const localbox = await localboxFor(t, { conflictsAsArray: true });
    await directUpload(localbox, { name: 'dup.txt', parent: { id: '0' } }, patternBytes(5));
    const response = await directUpload(localbox, { name: 'dup.txt', parent: { id: '0' } }, patternBytes(5));
    assert.ok(Array.isArray((response.body['context_info'] as Record<string, unknown>)['conflicts']));
  });

  it('answers unknown paths with 404 and wrong methods with 405', async (t) => {
    const localbox = await localboxFor(t);
    assert.equal((await call(localbox, 'GET', '/2.0/nothing')).status, 404);
    assert.equal((await call(localbox, 'PATCH', '/2.0/folders')).status, 405);
  });
});
