import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startLocalbox } from '../../../electron/localbox/localbox.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { directUpload } from '../../helpers/manual-upload.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { patternBytes } from '../../helpers/test-files.ts';

type Box = Parameters<typeof call>[0];

async function storedFile(localbox: Box, name = 'report.pdf', data = patternBytes(3000, 7)): Promise<string> {
  const answer = await directUpload(localbox, { name, parent: { id: '0' } }, data);
  return String((answer.body?.['entries'] as Array<{ id: string }>)[0]!.id);
}

const share = (localbox: Box, fileId: string, sharedLink: unknown) =>
  call(localbox, 'PUT', `/2.0/files/${fileId}?fields=shared_link`, { json: { shared_link: sharedLink } });

const linkOf = (answer: { body: Record<string, unknown> | undefined }) =>
  answer.body?.['shared_link'] as Record<string, unknown> | null;

describe('localbox shared links, as Box makes them', () => {
  it('creates a link with the access asked, answers Box’s shape, and keeps its URL when the access changes', async (t) => {
    const localbox = await localboxFor(t);
    const fileId = await storedFile(localbox);
    const before = await call(localbox, 'GET', `/2.0/files/${fileId}?fields=shared_link`);
    assert.equal(linkOf(before), null, 'no link until one is made');

    const company = await share(localbox, fileId, { access: 'company' });
    assert.equal(company.status, 200);
    const link = linkOf(company)!;
    assert.match(String(link['url']), new RegExp(`^${localbox.url}/s/[a-z0-9]{32}$`));
    assert.match(String(link['download_url']), new RegExp(`^${localbox.url}/shared/static/[a-z0-9]{32}\\.pdf$`));
    assert.deepEqual(
      { ...link, url: undefined, download_url: undefined },
      {
        url: undefined,
        download_url: undefined,
        vanity_url: null,
        vanity_name: null,
        access: 'company',
        effective_access: 'company',
        effective_permission: 'can_download',
        unshared_at: null,
        is_password_enabled: false,
        permissions: { can_preview: true, can_download: true, can_edit: false },
        download_count: 0,
        preview_count: 0,
      },
    );
    const narrowed = linkOf(await share(localbox, fileId, { access: 'collaborators' }))!;
    assert.equal(narrowed['url'], link['url'], 'the same link, now for collaborators');
    assert.equal(narrowed['access'], 'collaborators');
    assert.deepEqual(narrowed['permissions'], { can_preview: true, can_download: false, can_edit: false });
    assert.equal(
      linkOf(await share(localbox, fileId, {}))!['access'],
      'collaborators',
      'an empty object keeps the access',
    );
    const removed = await share(localbox, fileId, null);
    assert.equal(linkOf(removed), null);
    const fresh = linkOf(await share(localbox, fileId, {}))!;
    assert.equal(fresh['access'], 'open', 'without an admin, Box’s default access is open');
    assert.notEqual(fresh['url'], link['url'], 'a removed link is gone for good');
  });

  it('refuses a bad access level or permission combination as Box does, and an unknown or malformed file', async (t) => {
    const localbox = await localboxFor(t);
    const fileId = await storedFile(localbox);
    const bad = await share(localbox, fileId, { access: 'everyone' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body?.['code'], 'bad_request');
    const errors = (bad.body?.['context_info'] as { errors: Array<Record<string, string>> }).errors;
    assert.equal(errors[0]!['reason'], 'invalid_parameter');
    assert.equal(errors[0]!['name'], 'access');
    assert.match(errors[0]!['message']!, /'everyone'/);
    const combination = await share(localbox, fileId, { access: 'collaborators', permissions: { can_download: true } });
    assert.equal(combination.status, 400);
    assert.equal((await share(localbox, '999', {})).status, 404);
    assert.equal((await share(localbox, 'abc', {})).status, 405);
    const unauthenticated = await call(localbox, 'PUT', `/2.0/files/${fileId}?fields=shared_link`, {
      json: { shared_link: { access: 'open' } },
      token: 'wrong',
    });
    assert.equal(unauthenticated.status, 401);
    assert.equal(linkOf(await call(localbox, 'GET', `/2.0/files/${fileId}`)), null, 'nothing was shared');
  });

  it('serves the file’s web page, the link’s page, and the download of an open link only', async (t) => {
    const localbox = await localboxFor(t);
    const data = patternBytes(5000, 9);
    const fileId = await storedFile(localbox, 'Q3 <plan>.txt', data);
    const filePage = await fetch(`${localbox.url}/file/${fileId}`);
    assert.equal(filePage.status, 200, 'a browser has no token: the page needs none');
    assert.match(filePage.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await filePage.text();
    assert.match(html, /Q3 &#60;plan&#62;\.txt/, 'the name, escaped');
    assert.match(html, /All Files/);
    assert.equal((await fetch(`${localbox.url}/file/123`)).status, 404);

    const link = linkOf(await share(localbox, fileId, { access: 'open' }))!;
    const linkPage = await fetch(String(link['url']));
    assert.equal(linkPage.status, 200);
    assert.match(await linkPage.text(), /Anyone with this link/);
    const download = await fetch(String(link['download_url']));
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), data);
    const counted = linkOf(await call(localbox, 'GET', `/2.0/files/${fileId}`))!;
    assert.equal(counted['preview_count'], 1);
    assert.equal(counted['download_count'], 1);

    await share(localbox, fileId, { access: 'company' });
    assert.equal((await fetch(String(link['download_url']))).status, 403, 'a company link needs a Box sign-in');
  });

  it('keeps a file’s link across a restart of localbox', async (t) => {
    const dataDir = await tempDir(t);
    const first = await startLocalbox({ dataDir });
    const fileId = await storedFile(first);
    const url = linkOf(await share(first, fileId, { access: 'open' }))!['url'] as string;
    await first.stop();
    const second = await localboxFor(t, { dataDir });
    const again = linkOf(await call(second, 'GET', `/2.0/files/${fileId}`))!;
    assert.equal(new URL(again['url'] as string).pathname, new URL(url).pathname);
    assert.equal(again['access'], 'open');
  });
});
