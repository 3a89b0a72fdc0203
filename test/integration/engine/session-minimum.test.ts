import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertStoredOnce, setupAnswers, uploadTo } from '../../helpers/box-answers-fixture.ts';
import { assertStored, queueFor, uploadOne, waitForState } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { journalCopiedAt } from '../../helpers/journal-at-state.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

/** Box's SDK tests upload 20 MiB by session; Box documents only "20 MB" (box-api.md section 3.5). */
const TWENTY_MIB = 20_971_520;
/** Hoist's session threshold: what Box's Android app uses, and smaller than 20 MiB. */
const FILE_BYTES = 20_000_000;

/**
 * Box's smallest session size is undocumented. A file Hoist sends by session that Box finds too
 * small (400 file_size_too_small) goes up directly instead: direct upload is documented up to 50 MB.
 */
describe('a session refused as too small', () => {
  it('a 20,000,000-byte file arrives whole by one direct upload when Box’s minimum is 20 MiB', async (t) => {
    const localbox = await localboxFor(t, { answers: { minSessionFileBytes: TWENTY_MIB } });
    const queue = queueFor(t, localbox);
    const file = await writePatternFile(await tempDir(t), 'twenty-mb.bin', FILE_BYTES, 840);
    const view = await uploadOne(queue, file.path);
    await assertStored(queue, view, file.sha1);
    assert.equal(view.method, 'direct');
    const seen = localbox.stats().requestsByOperation;
    assert.equal(seen['create-session'], 1, 'the session was asked for once and refused');
    assert.equal(seen['direct-upload'], 1);
    assert.equal(localbox.stats().partAttempts.length, 0, 'no part sent');
    const root = await queue.client.listFolderItems('0', { limit: 100 });
    assert.deepEqual(
      root.entries.map((item) => item.name),
      ['twenty-mb.bin'],
    );
  });

  it('a new version Box refuses a session for goes up directly as one version', async (t) => {
    const setup = await setupAnswers(t, 842, { minSessionFileBytes: TWENTY_MIB }, 'new-version');
    const view = await uploadTo(setup);
    await assertStoredOnce(setup, view);
    assert.equal(view.method, 'direct');
    assert.equal(setup.localbox.stats().requestsByOperation['create-session'], 1, 'refused once');
    assert.equal(setup.localbox.stats().partAttempts.length, 0, 'no part sent');
  });

  it('leaves no session in the journal: resumed after a crash in its direct upload, it looks for none', async (t) => {
    const localbox = await localboxFor(t, { answers: { minSessionFileBytes: TWENTY_MIB } });
    const file = await writePatternFile(await tempDir(t), 'resumed.bin', FILE_BYTES, 841);
    // The journal as a crash would leave it while the file is read for its direct upload.
    const { hooks, restore } = await journalCopiedAt(t, localbox.url, 'hashing');
    // The first run ends before its direct upload lands.
    localbox.faults.add({ on: 'direct-upload', action: { kind: 'status', status: 400, code: 'bad_request' } });
    const first = queueFor(t, localbox, { hooks });
    assert.equal((await uploadOne(first, file.path)).state, 'failed');
    await first.shutdown();

    localbox.resetStats();
    const restored = restore();
    assert.equal(restored.length, 1, 'the job was journaled while it was read for the direct upload');
    assert.equal(restored[0]!.record.session, undefined, 'the journal holds no session');
    const second = queueFor(t, localbox);
    const view = await waitForState(second, second.adopt(restored[0]!.record), ['done', 'failed']);
    await assertStored(second, view, file.sha1);
    const seen = localbox.stats().requestsByOperation;
    assert.equal(seen['get-session'] ?? 0, 0, 'no session looked for');
    assert.equal(seen['list-parts'] ?? 0, 0, 'no parts looked for');
    assert.equal(seen['direct-upload'], 1);
  });
});
