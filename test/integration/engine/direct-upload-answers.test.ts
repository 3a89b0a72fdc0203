import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FaultAction } from '../../../electron/localbox/faults.ts';
import type { NameConflictPolicy } from '../../../shared/job-model.ts';
import { assertStored, queueFor, waitForState } from '../../helpers/engine-fixture.ts';
import { journalCopiedAt } from '../../helpers/journal-at-state.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { patternBytes, sha1Hex, writePatternFile } from '../../helpers/test-files.ts';

/**
 * A direct upload whose outcome is unknown (no answer, or a 5xx: box-api.md section 2, a write
 * may still have happened) is looked up on Box before it is sent again or renamed.
 */
describe('direct upload: an attempt whose outcome is unknown is looked up before anything else', () => {
  const outcomes: Array<[string, FaultAction]> = [
    ['its answer was lost', { kind: 'lose-response' }],
    ['the connection dropped before the body was sent', { kind: 'reset-mid-body', afterBytes: 0 }],
  ];
  for (const [what, action] of outcomes) {
    for (const policy of ['keep-both', 'replace', 'ask'] as const satisfies NameConflictPolicy[]) {
      it(`a new file, ${policy}, ${what}: one file`, async (t) => {
        const localbox = await localboxFor(t);
        const queue = queueFor(t, localbox);
        const file = await writePatternFile(await tempDir(t), 'lost.txt', 70_000, 1301);
        localbox.faults.add({ on: 'direct-upload', action });
        const job = queue.add({
          path: file.path,
          destination: { kind: 'folder', folderId: '0' },
          onNameConflict: policy,
        });
        const view = await waitForState(queue, job, ['done', 'failed']);
        await assertStored(queue, view, file.sha1);
        assert.equal(view.fileName, 'lost.txt');
        const root = await queue.client.listFolderItems('0', { limit: 1000 });
        assert.deepEqual(
          root.entries.map((item) => item.name),
          ['lost.txt'],
          'one file in the folder',
        );
      });
    }

    it(`a new version, ${what}: one version`, async (t) => {
      const localbox = await localboxFor(t);
      const queue = queueFor(t, localbox);
      const old = patternBytes(1000, 1302);
      const existing = await queue.client.uploadFile({
        fileName: 'v.txt',
        content: old,
        sha1Hex: sha1Hex(old),
        folderId: '0',
      });
      const file = await writePatternFile(await tempDir(t), 'v.txt', 70_000, 1303);
      localbox.faults.add({ on: 'direct-upload', action });
      const job = queue.add({ path: file.path, destination: { kind: 'new-version', fileId: existing.id } });
      const view = await waitForState(queue, job, ['done', 'failed']);
      await assertStored(queue, view, file.sha1);
      assert.equal(view.fileId, existing.id);
      assert.equal((await queue.client.getFile(existing.id)).etag, '1', 'one new version, not two');
    });
  }

  it('a job restored after a crash, whose direct upload had reached Box, is found there: keep both makes no copy', async (t) => {
    const localbox = await localboxFor(t);
    const file = await writePatternFile(await tempDir(t), 'crashed.txt', 70_000, 1304);
    // The journal as a crash would leave it once the file was being sent.
    const journal = await journalCopiedAt(t, localbox.url, 'uploading');
    const first = queueFor(t, localbox, { hooks: journal.hooks });
    const sent = first.add({
      path: file.path,
      destination: { kind: 'folder', folderId: '0' },
      onNameConflict: 'keep-both',
    });
    assert.equal((await waitForState(first, sent, ['done', 'failed'])).state, 'done');
    await first.shutdown();

    const [restored] = journal.restore();
    assert.ok(restored?.record.restoredMidUpload, 'restored with its snapshot');
    const second = queueFor(t, localbox);
    const view = await waitForState(second, second.adopt(restored.record), ['done', 'failed']);
    await assertStored(second, view, file.sha1);
    const root = await second.client.listFolderItems('0', { limit: 1000 });
    assert.deepEqual(
      root.entries.map((item) => item.name),
      ['crashed.txt'],
      'one file, no "crashed (1).txt"',
    );
    assert.equal(localbox.stats().requestsByOperation['direct-upload'], 1, 'not sent again');
  });
});
