import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertStored, queueFor, uploadOne } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;

describe('progress is read, not pushed', () => {
  it('a whole upload unread: the queue says once that progress waits, then one read gives each part once, as it ended', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const dir = await tempDir(t);
    const files = await Promise.all(
      [1, 2].map((seed) => writePatternFile(dir, `unread-${seed}.bin`, 26_000_000, seed + 70)),
    );
    const queue = queueFor(t, localbox, { parallel: 3 });
    let told = 0;
    queue.on('progress-pending', () => (told += 1));
    const views = await Promise.all(files.map((file) => uploadOne(queue, file.path)));
    for (const [index, view] of views.entries()) await assertStored(queue, view, files[index]!.sha1);
    assert.equal(told, 1, 'thousands of byte counts on ten parts, and the queue spoke once: nobody had read');
    const batches = queue.takeProgress();
    assert.deepEqual(
      batches.map((batch) => batch.jobId).sort(),
      views.map((view) => view.id).sort(),
      'one batch per job',
    );
    for (const batch of batches) {
      const indexes = batch.parts.map(([index]) => index);
      assert.deepEqual(
        indexes.toSorted((a, b) => a - b),
        [0, 1, 2, 3, 4],
        'each part once',
      );
      assert.ok(
        batch.parts.every(([, part]) => part.state === 'done' && part.bytesConfirmed > 0),
        'latest state',
      );
      assert.equal(batch.totals.partsDone, 5);
      assert.equal(batch.totals.bytesConfirmed, 26_000_000);
    }
    assert.deepEqual(queue.takeProgress(), [], 'nothing left once read');
  });

  it('a job’s own progress is read with its state change: every part done, nothing left behind', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const dir = await tempDir(t);
    const [first, second] = await Promise.all(
      [1, 2].map((seed) => writePatternFile(dir, `own-${seed}.bin`, 21_000_000, seed + 80)),
    );
    const queue = queueFor(t, localbox, { parallel: 2, maxActiveJobs: 1 });
    const readAtDone = new Map<string, string[]>();
    queue.on('job-changed', (view) => {
      if (view.state !== 'done') return;
      const batch = queue.takeJobProgress(view.id);
      readAtDone.set(view.fileName, batch?.parts.map(([, part]) => part.state) ?? []);
    });
    const views = await Promise.all([first!, second!].map((file) => uploadOne(queue, file.path)));
    assert.deepEqual(
      views.map((view) => view.state),
      ['done', 'done'],
    );
    for (const name of ['own-1.bin', 'own-2.bin'])
      assert.deepEqual(
        readAtDone.get(name),
        ['done', 'done', 'done', 'done', 'done'],
        `${name}: its parts, all done, with its done`,
      );
    assert.deepEqual(queue.takeProgress(), [], 'each job’s progress was read with its state change');
  });
});
