import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertStored, queueFor, uploadOne, waitForState } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { sameNameTwice, writePatternFile } from '../../helpers/test-files.ts';
import type { UploadQueue } from '../../../electron/engine/upload-queue.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;

async function namesInRoot(queue: UploadQueue): Promise<string[]> {
  const page = await queue.client.listFolderItems('0', { limit: 1000 });
  return page.entries.map((item) => item.name).sort();
}

describe('a name already taken in the destination folder', () => {
  it('asks by default: the job stops with the choice, and Replace uploads a new version of that file', async (t) => {
    const localbox = await localboxFor(t);
    const queue = queueFor(t, localbox);
    const [first, second] = await sameNameTwice(t, 'notes.txt', 70_000, 1101);
    const original = await uploadOne(queue, first.path);
    await assertStored(queue, original, first.sha1);

    const job = queue.add({ path: second.path, destination: { kind: 'folder', folderId: '0' } });
    const stopped = await waitForState(queue, job, ['done', 'failed']);
    assert.equal(stopped.state, 'failed');
    assert.equal(stopped.error?.kind, 'name-taken');
    assert.equal(stopped.error?.takenBy, 'file');
    assert.match(stopped.error?.message ?? '', /A file named "notes\.txt" already exists.*replace it.*or keep both/);
    assert.match(stopped.error?.detail ?? '', /409 item_name_in_use/);

    assert.equal(job.resolveNameConflict('replace'), true);
    const replaced = await waitForState(queue, job, ['done', 'failed']);
    await assertStored(queue, replaced, second.sha1);
    assert.equal(replaced.fileId, original.fileId, 'the same Box file, now at a new version');
    const stored = await queue.client.getFile(replaced.fileId!);
    assert.equal(stored.name, 'notes.txt');
    assert.deepEqual(await namesInRoot(queue), ['notes.txt']);
  });

  it('keep both numbers the name past every copy already there, for a chunked upload', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const queue = queueFor(t, localbox, { parallel: 2 });
    const root = await tempDir(t);
    const taken = await writePatternFile(root, 'movie.mp4', 1000, 1103);
    assert.equal((await uploadOne(queue, taken.path)).state, 'done');
    await queue.client.createFolder('movie (1).mp4', '0');
    const big = await sameNameTwice(t, 'movie.mp4', 21_000_000, 1101);

    const job = queue.add({
      path: big[0].path,
      destination: { kind: 'folder', folderId: '0' },
      onNameConflict: 'keep-both',
    });
    const done = await waitForState(queue, job, ['done', 'failed']);
    await assertStored(queue, done, big[0].sha1);
    assert.equal(done.fileName, 'movie (2).mp4');
    assert.equal((await queue.client.getFile(done.fileId!)).name, 'movie (2).mp4');
    assert.deepEqual(await namesInRoot(queue), ['movie (1).mp4', 'movie (2).mp4', 'movie.mp4']);
  });

  it('replace, chosen up front, uploads a chunked new version without stopping', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const queue = queueFor(t, localbox, { parallel: 2 });
    const [first, second] = await sameNameTwice(t, 'disk.img', 21_000_000, 1101);
    const original = await uploadOne(queue, first.path);
    const job = queue.add({
      path: second.path,
      destination: { kind: 'folder', folderId: '0' },
      onNameConflict: 'replace',
    });
    const replaced = await waitForState(queue, job, ['done', 'failed']);
    await assertStored(queue, replaced, second.sha1);
    assert.equal(replaced.fileId, original.fileId);
    assert.deepEqual(await namesInRoot(queue), ['disk.img']);
  });

  it('a name taken while the parts were going up is caught at commit; keep both starts a session under a new name', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 20_000_000 });
    const queue = queueFor(t, localbox, { parallel: 2 });
    const [mine, theirs] = await sameNameTwice(t, 'race.bin', 21_000_000, 1101);
    const job = queue.add({
      path: mine.path,
      destination: { kind: 'folder', folderId: '0' },
      onNameConflict: 'keep-both',
    });
    while (!job.record.session) await new Promise((resolve) => setTimeout(resolve, 10));
    const firstSession = job.record.session.id;
    job.pause();
    await waitForState(queue, job, ['paused']);
    // Someone else takes the name before this upload commits.
    assert.equal((await uploadOne(queue, theirs.path)).state, 'done');
    job.resume();
    const done = await waitForState(queue, job, ['done', 'failed']);
    await assertStored(queue, done, mine.sha1);
    assert.equal(done.fileName, 'race (1).bin');
    assert.notEqual(job.record.session?.id, firstSession);
    assert.deepEqual(await namesInRoot(queue), ['race (1).bin', 'race.bin']);
  });

  it('the same content already there under the name: done at once, nothing sent, no new version', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const queue = queueFor(t, localbox, { parallel: 2 });
    const root = await tempDir(t);
    await mkdir(join(root, 'copy'));
    const small = await writePatternFile(root, 'same.txt', 5000, 1105);
    const big = await writePatternFile(root, 'same.bin', 21_000_000, 1106);
    const originals = [await uploadOne(queue, small.path), await uploadOne(queue, big.path)];
    const versionsBefore = await Promise.all(originals.map((view) => queue.client.getFile(view.fileId!)));
    const received = localbox.stats().partBodyBytesReceived;

    for (const [index, file] of [small, big].entries()) {
      const copy = join(root, 'copy', file.path.split('/').pop()!);
      await writeFile(copy, await readFile(file.path));
      const policy = index === 0 ? undefined : ('replace' as const);
      const job = queue.add({
        path: copy,
        destination: { kind: 'folder', folderId: '0' },
        ...(policy ? { onNameConflict: policy } : {}),
      });
      const done = await waitForState(queue, job, ['done', 'failed']);
      await assertStored(queue, done, file.sha1);
      assert.equal(done.identicalOnBox, true);
      assert.equal(done.fileId, originals[index]!.fileId);
      const now = await queue.client.getFile(done.fileId!);
      assert.equal(now.fileVersion?.id, versionsBefore[index]!.fileVersion?.id, 'no new version');
    }
    assert.equal(localbox.stats().partBodyBytesReceived, received, 'no part was sent again');

    // Keep both means both, even when they are the same.
    const job = queue.add({
      path: small.path,
      destination: { kind: 'folder', folderId: '0' },
      onNameConflict: 'keep-both',
    });
    const kept = await waitForState(queue, job, ['done', 'failed']);
    assert.equal(kept.fileName, 'same (1).txt');
    assert.equal(kept.identicalOnBox, undefined);
  });

  it('a folder holding the name cannot be replaced; keep both still works', async (t) => {
    const localbox = await localboxFor(t);
    const queue = queueFor(t, localbox);
    await queue.client.createFolder('thing.bin', '0');
    const file = await writePatternFile(await tempDir(t), 'thing.bin', 5000, 1104);
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
    const stopped = await waitForState(queue, job, ['done', 'failed']);
    assert.equal(stopped.error?.takenBy, 'folder');
    assert.match(stopped.error?.message ?? '', /A folder named "thing\.bin"/);
    assert.equal(job.resolveNameConflict('replace'), false);
    assert.equal(job.state, 'failed');
    assert.equal(job.resolveNameConflict('keep-both'), true);
    const done = await waitForState(queue, job, ['done', 'failed']);
    await assertStored(queue, done, file.sha1);
    assert.equal(done.fileName, 'thing (1).bin');
  });
});
