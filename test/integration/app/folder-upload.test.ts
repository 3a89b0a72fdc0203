import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it, type TestContext } from 'node:test';
import type { BoxClient } from '../../../electron/box/box-client.ts';
import { memoryStoresFor } from '../../../electron/service/settings-store.ts';
import { UploadService } from '../../../electron/service/upload-service.ts';
import { clientFor } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

async function serviceFor(t: TestContext, localbox: { url: string; token: string }): Promise<UploadService> {
  const { settings, secrets } = memoryStoresFor(localbox);
  const service = await UploadService.start({ stateDir: await tempDir(t), settings, secrets });
  t.after(() => service.shutdown());
  return service;
}

async function allSettled(service: UploadService): Promise<void> {
  const settled = () => service.listJobs().jobs.every((job) => ['done', 'failed', 'canceled'].includes(job.state));
  for (let i = 0; i < 3000 && !settled(); i++) await delay(10);
  assert.ok(settled(), JSON.stringify(service.listJobs().jobs.map((job) => [job.fileName, job.state])));
}

/** The Box tree under `folderId`: folder names end in "/", files map to their SHA-1. */
async function treeOf(client: BoxClient, folderId: string): Promise<Record<string, unknown>> {
  const tree: Record<string, unknown> = {};
  const page = await client.listFolderItems(folderId, { limit: 1000 });
  for (const item of page.entries) {
    tree[item.type === 'folder' ? `${item.name}/` : item.name] =
      item.type === 'folder' ? await treeOf(client, item.id) : (item as { sha1: string }).sha1;
  }
  return tree;
}

describe('dropping a folder', () => {
  it('recreates the tree on Box and uploads every file into its folder; links to folders and pipes are named and left out, system clutter quietly', async (t) => {
    const localbox = await localboxFor(t, { partSize: 5 * 1024 * 1024 + 1 });
    const service = await serviceFor(t, localbox);
    const root = join(await tempDir(t), 'Trip photos');
    await mkdir(join(root, 'day 2', 'raw'), { recursive: true });
    await mkdir(join(root, 'empty'));
    const cover = await writePatternFile(root, 'cover.jpg', 70_000, 1201);
    const video = await writePatternFile(join(root, 'day 2'), 'clip.mov', 21_000_000, 1202);
    const raw = await writePatternFile(join(root, 'day 2', 'raw'), 'IMG_0001.CR3', 300_000, 1203);
    await symlink(cover.path, join(root, 'cover-link.jpg'));
    // What Finder, Explorer and Office leave behind is not uploaded.
    for (const clutter of ['.DS_Store', join('day 2', 'Thumbs.db'), '._cover.jpg', join('day 2', '~$notes.docx')])
      await writeFile(join(root, clutter), 'clutter');
    await symlink(join(root, 'day 2'), join(root, 'day 2 link'));
    execFileSync('mkfifo', [join(root, 'a-pipe')]);

    const result = await service.addFiles([root]);
    assert.deepEqual(result.added.map((job) => job.fileName).sort(), [
      'IMG_0001.CR3',
      'clip.mov',
      'cover-link.jpg',
      'cover.jpg',
    ]);
    assert.deepEqual(
      Object.fromEntries(result.added.map((job) => [job.fileName, job.folderPath])),
      {
        'IMG_0001.CR3': 'Trip photos/day 2/raw',
        'clip.mov': 'Trip photos/day 2',
        'cover-link.jpg': 'Trip photos',
        'cover.jpg': 'Trip photos',
      },
      'each row says where on Box its file goes',
    );
    assert.deepEqual(
      result.rejected.map(({ path, message }) => [path.slice(root.length + 1), message]),
      [
        ['a-pipe', 'not a regular file (a pipe, device or socket)'],
        ['day 2 link', 'a link to a folder; Hoist does not follow those, since they can loop'],
      ],
    );
    await allSettled(service);
    const client = clientFor(localbox);
    assert.deepEqual(await treeOf(client, '0'), {
      'Trip photos/': {
        'cover.jpg': cover.sha1,
        'cover-link.jpg': cover.sha1,
        'day 2/': { 'clip.mov': video.sha1, 'raw/': { 'IMG_0001.CR3': raw.sha1 } },
        'empty/': {},
      },
    });

    // The same folder again, with one new file: the folders on Box are reused, not duplicated,
    // and the files already there follow the name-conflict setting.
    await service.updateSettings({ onNameConflict: 'replace' });
    const added = await writePatternFile(join(root, 'day 2', 'raw'), 'IMG_0002.CR3', 1000, 1204);
    const again = await service.addFiles([root]);
    assert.equal(again.added.length, 5);
    await allSettled(service);
    const tree = (await treeOf(client, '0')) as Record<string, Record<string, Record<string, Record<string, string>>>>;
    assert.deepEqual(Object.keys(tree), ['Trip photos/']);
    assert.deepEqual(tree['Trip photos/']!['day 2/']!['raw/'], {
      'IMG_0001.CR3': raw.sha1,
      'IMG_0002.CR3': added.sha1,
    });
    const rows = service.listJobs().jobs;
    assert.ok(rows.filter((job) => !job.refused).every((job) => job.state === 'done'));
    assert.deepEqual(
      rows.filter((job) => job.refused).map((job) => [job.fileName, job.state]),
      [
        ['a-pipe', 'failed'],
        ['day 2 link', 'failed'],
      ],
      'what was left out stays in the list as failed rows, once each',
    );
  });

  it('fills in a folder already on Box, and names a file holding its name, when Box’s 409 does not say which item it is', async (t) => {
    const localbox = await localboxFor(t);
    const client = clientFor(localbox);
    const existing = await client.createFolder('Photos', '0');
    const service = await serviceFor(t, localbox);
    localbox.faults.add({ on: 'create-folder', action: { kind: 'no-context-info' }, times: 100 });
    const folder = join(await tempDir(t), 'Photos');
    await mkdir(folder);
    const file = await writePatternFile(folder, 'beach.jpg', 2000, 1206);
    assert.equal((await service.addFiles([folder])).added.length, 1);
    await allSettled(service);
    assert.deepEqual(await treeOf(client, '0'), { 'Photos/': { 'beach.jpg': file.sha1 } });
    assert.equal((await client.listFolderItems(existing.id, { limit: 10 })).entries[0]?.name, 'beach.jpg');

    await client.uploadFile({
      folderId: '0',
      fileName: 'notes',
      content: Buffer.from('z'),
      sha1Hex: '395df8f7c51f007019cb30201c49e884b46b92fa',
    });
    const notes = join(await tempDir(t), 'notes');
    await mkdir(notes);
    await writeFile(join(notes, 'a.txt'), 'a');
    const refused = await service.addFiles([notes]);
    assert.match(refused.rejected[0]?.message ?? '', /a file named "notes" is already where the folder would go/);
  });

  it('says why a folder cannot go where it would: a file holds its name, or the server is down', async (t) => {
    const localbox = await localboxFor(t);
    const service = await serviceFor(t, localbox);
    const dir = await tempDir(t);
    const taken = await writePatternFile(dir, 'report', 10, 1205);
    assert.equal((await service.addFiles([taken.path])).added.length, 1);
    await allSettled(service);
    const folder = join(await tempDir(t), 'report');
    await mkdir(folder);
    await writeFile(join(folder, 'page.txt'), 'one');
    const result = await service.addFiles([folder]);
    assert.deepEqual(
      result.rejected.map(({ path, message }) => ({ path, message })),
      [
        {
          path: folder,
          message: 'Hoist could not create this folder: a file named "report" is already where the folder would go.',
        },
      ],
    );
    assert.equal(result.added.length, 0);

    await localbox.stop();
    const down = await service.addFiles([folder]);
    assert.match(
      down.rejected[0]?.message ?? '',
      /^Hoist could not create this folder: 127\.0\.0\.1:\d+ cannot be reached\.$/,
    );
  });
});
