import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NameConflictPolicy } from '../../../shared/job-model.ts';
import type { UploadQueue } from '../../../electron/engine/upload-queue.ts';
import type { LocalboxHandle } from '../../../electron/localbox/localbox.ts';
import { assertStored, queueFor, uploadOne, waitForState } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { sameNameTwice, writePatternFile } from '../../helpers/test-files.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;

/**
 * Box's spec types the commit 409 as a plain ClientError: nothing says its body names the item
 * holding the name (`context_info.conflicts`). Every 409 of these tests comes without it.
 */
function conflictsUnnamed(localbox: LocalboxHandle): void {
  for (const on of ['create-session', 'commit', 'direct-upload'] as const) {
    localbox.faults.add({ on, action: { kind: 'no-context-info' }, times: 10_000 });
  }
}

async function namesInRoot(queue: UploadQueue): Promise<string[]> {
  const page = await queue.client.listFolderItems('0', { limit: 1000 });
  return page.entries.map((item) => item.name).sort();
}

type Policy = NameConflictPolicy | 'ask→replace' | 'ask→keep-both';
const POLICIES: Policy[] = ['replace', 'keep-both', 'ask→replace', 'ask→keep-both'];

/**
 * Uploads `path` to the root under `policy`; for ask, the job stops on the name and the person's
 * choice is applied. Returns the finished view.
 */
async function uploadUnder(queue: UploadQueue, path: string, policy: Policy) {
  const [first, choice] = policy.startsWith('ask→')
    ? (['ask', policy.slice(4)] as const)
    : ([policy as NameConflictPolicy, undefined] as const);
  const job = queue.add({ path, destination: { kind: 'folder', folderId: '0' }, onNameConflict: first });
  let view = await waitForState(queue, job, ['done', 'failed']);
  if (choice) {
    assert.equal(view.state, 'failed');
    assert.equal(view.error?.kind, 'name-taken');
    assert.equal(job.resolveNameConflict(choice as 'replace' | 'keep-both'), true);
    view = await waitForState(queue, job, ['done', 'failed']);
  }
  return view;
}

/** The root ends as the policy says: one file at a new version, or both under numbered names. */
async function assertEndedAs(
  queue: UploadQueue,
  policy: Policy,
  view: Awaited<ReturnType<typeof uploadUnder>>,
  original: { fileId?: string | undefined },
  expected: { sha1: string; name: string; keptName: string },
): Promise<void> {
  await assertStored(queue, view, expected.sha1);
  if (policy.endsWith('replace')) {
    assert.equal(view.fileId, original.fileId, 'the same Box file, at a new version');
    assert.deepEqual(await namesInRoot(queue), [expected.name]);
  } else {
    assert.equal(view.fileName, expected.keptName);
    assert.deepEqual(await namesInRoot(queue), [expected.keptName, expected.name].sort());
  }
}

describe('a name conflict answered without context_info.conflicts', () => {
  for (const policy of POLICIES) {
    it(`direct upload, ${policy}: the file ends as the policy says`, async (t) => {
      const localbox = await localboxFor(t);
      const queue = queueFor(t, localbox);
      const [theirs, mine] = await sameNameTwice(t, 'notes.txt', 70_000, 1201);
      const original = await uploadOne(queue, theirs.path);
      conflictsUnnamed(localbox);
      const view = await uploadUnder(queue, mine.path, policy);
      await assertEndedAs(queue, policy, view, original, {
        sha1: mine.sha1,
        name: 'notes.txt',
        keptName: 'notes (1).txt',
      });
    });

    it(`session create, ${policy}: the file ends as the policy says`, async (t) => {
      const localbox = await localboxFor(t, { partSize: PART_BYTES });
      const queue = queueFor(t, localbox, { parallel: 2 });
      const [theirs, mine] = await sameNameTwice(t, 'disk.img', 21_000_000, 1201);
      const original = await uploadOne(queue, theirs.path);
      conflictsUnnamed(localbox);
      const view = await uploadUnder(queue, mine.path, policy);
      await assertEndedAs(queue, policy, view, original, {
        sha1: mine.sha1,
        name: 'disk.img',
        keptName: 'disk (1).img',
      });
    });
  }

  for (const policy of ['replace', 'keep-both'] as const) {
    it(`a name taken while the parts went up, caught at commit, ${policy}: the file ends as the policy says`, async (t) => {
      const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 20_000_000 });
      const queue = queueFor(t, localbox, { parallel: 2 });
      const [mine, theirs] = await sameNameTwice(t, 'race.bin', 21_000_000, 1201);
      const job = queue.add({
        path: mine.path,
        destination: { kind: 'folder', folderId: '0' },
        onNameConflict: policy,
      });
      while (!job.record.session) await new Promise((resolve) => setTimeout(resolve, 10));
      job.pause();
      await waitForState(queue, job, ['paused']);
      // Someone else takes the name before this upload commits.
      const original = await uploadOne(queue, theirs.path);
      assert.equal(original.state, 'done');
      conflictsUnnamed(localbox);
      job.resume();
      const view = await waitForState(queue, job, ['done', 'failed']);
      await assertEndedAs(queue, policy, view, original, {
        sha1: mine.sha1,
        name: 'race.bin',
        keptName: 'race (1).bin',
      });
    });
  }

  it('the same content already there, replace: done at once, no new version', async (t) => {
    const localbox = await localboxFor(t);
    const queue = queueFor(t, localbox);
    const file = await writePatternFile(await tempDir(t), 'same.txt', 5000, 1203);
    const original = await uploadOne(queue, file.path);
    const before = await queue.client.getFile(original.fileId!);
    conflictsUnnamed(localbox);
    const view = await uploadUnder(queue, file.path, 'replace');
    await assertStored(queue, view, file.sha1);
    assert.equal(view.identicalOnBox, true);
    assert.equal((await queue.client.getFile(view.fileId!)).fileVersion?.id, before.fileVersion?.id, 'no new version');
  });

  it('a folder holding the name is not replaced; keep both still works', async (t) => {
    const localbox = await localboxFor(t);
    const queue = queueFor(t, localbox);
    await queue.client.createFolder('thing.bin', '0');
    const file = await writePatternFile(await tempDir(t), 'thing.bin', 5000, 1204);
    conflictsUnnamed(localbox);
    const job = queue.add({
      path: file.path,
      destination: { kind: 'folder', folderId: '0' },
      onNameConflict: 'replace',
    });
    const stopped = await waitForState(queue, job, ['done', 'failed']);
    assert.equal(stopped.state, 'failed');
    assert.equal(stopped.error?.kind, 'name-taken');
    assert.equal(stopped.error?.takenBy, 'folder', 'the item found by name says what holds it');
    assert.equal(job.resolveNameConflict('replace'), false);
    assert.equal(job.resolveNameConflict('keep-both'), true);
    const done = await waitForState(queue, job, ['done', 'failed']);
    await assertStored(queue, done, file.sha1);
    assert.equal(done.fileName, 'thing (1).bin');
    assert.deepEqual(await namesInRoot(queue), ['thing (1).bin', 'thing.bin']);
  });
});
