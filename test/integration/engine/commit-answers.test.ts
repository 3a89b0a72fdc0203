import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markerPages } from '../../../electron/box/marker-pages.ts';
import {
  assertStoredOnce,
  FILE_BYTES,
  PART_BYTES,
  setupAnswers,
  uploadTo,
  type AnswersSetup,
} from '../../helpers/box-answers-fixture.ts';
import { assertStored } from '../../helpers/engine-fixture.ts';

/** Every name in a folder, following its pages. */
async function namesIn(setup: AnswersSetup, folderId: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of markerPages((marker) =>
    setup.queue.client.listFolderItems(folderId, { marker, limit: 1000 }),
  ))
    names.push(...page.entries.map((item) => item.name));
  return names;
}

/**
 * Commit answers Box may give (box-api.md sections 7, 8 and 16), each selected in localbox: the
 * client ends with Box holding the local bytes once, whatever the answer.
 */
describe('commit: the client succeeds however Box answers', () => {
  for (const target of ['new-file', 'new-version'] as const) {
    for (const replay of [201, 200, 400, 404, 409, 410] as const) {
      // 200 is success as 201 is (rclone accepts both).
      it(`a commit whose answer was lost, replayed and answered ${replay}, ends with one ${target}`, async (t) => {
        const setup = await setupAnswers(t, 700 + replay, { commitReplay: replay }, target);
        setup.localbox.faults.add({ on: 'commit', action: { kind: 'lose-response' } });
        const view = await uploadTo(setup);
        await assertStoredOnce(setup, view);
        assert.equal(setup.localbox.stats().requestsByOperation['create-session'], 1, 'nothing uploaded again');
      });
    }
  }

  for (const target of ['new-file', 'new-version'] as const) {
    for (const replay of [400, 404, 409, 410] as const) {
      // Box's spec says a 202 means the parts are not processed yet; whether Box then finishes
      // the commit on its own is not documented. If it does, the commit sent again is refused.
      it(`a commit answered 202 that Box finished anyway, replayed and answered ${replay}, ends with one ${target}`, async (t) => {
        const setup = await setupAnswers(t, 730 + replay, { commitReplay: replay }, target);
        setup.localbox.faults.add({ on: 'commit', action: { kind: 'accepted', retryAfterSeconds: 0, commits: true } });
        const view = await uploadTo(setup);
        await assertStoredOnce(setup, view);
        assert.equal(setup.localbox.stats().requestsByOperation['create-session'], 1, 'nothing uploaded again');
      });
    }
  }

  for (const lastNextMarker of ['null', 'empty', 'absent'] as const) {
    it(`a lost commit answer is found in a folder listed over many pages (last next_marker ${lastNextMarker})`, async (t) => {
      const setup = await setupAnswers(t, 725, { commitReplay: 404, folderItemsPageMax: 2, lastNextMarker });
      // Folders are listed before files: the file is on the fourth page of two.
      for (const name of ['f1', 'f2', 'f3', 'f4', 'f5', 'f6']) await setup.queue.client.createFolder(name, '0');
      setup.localbox.faults.add({ on: 'commit', action: { kind: 'lose-response' } });
      const view = await uploadTo(setup);
      await assertStored(setup.queue, view, setup.file.sha1);
      assert.equal(setup.localbox.stats().requestsByOperation['create-session'], 1, 'found, not uploaded again');
      assert.deepEqual(
        await namesIn(setup, '0'),
        ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'answers-725.bin'],
        'one file in the folder',
      );
    });
  }

  it('parts_mismatch that lasts a while after the last part is waited out, re-listing the parts', async (t) => {
    const setup = await setupAnswers(t, 721, { partsSettleMs: 600 });
    const view = await uploadTo(setup);
    await assertStoredOnce(setup, view);
    const seen = setup.localbox.stats().requestsByOperation;
    assert.ok((seen['commit'] ?? 0) >= 2, 'the first commit met parts_mismatch');
    assert.ok((seen['list-parts'] ?? 0) >= 1, 'the parts were listed again');
  });

  it('parts_mismatch because Box lacks a part it confirmed: the parts are re-listed and the missing one sent again', async (t) => {
    const setup = await setupAnswers(t, 724, {});
    setup.localbox.faults.add({ on: 'upload-part', skip: 1, action: { kind: 'answer-without-storing' } });
    await assertStoredOnce(setup, await uploadTo(setup));
    const stats = setup.localbox.stats();
    assert.equal(stats.partsStored, Math.ceil(FILE_BYTES / PART_BYTES), 'every part stored once');
    assert.equal(stats.partAttempts.filter((attempt) => attempt.offset === PART_BYTES).length, 2, 'part 1 sent twice');
    assert.ok((stats.requestsByOperation['list-parts'] ?? 0) >= 1);
  });

  it('parts_mismatch past the budget fails the file with a sentence', async (t) => {
    const setup = await setupAnswers(t, 722, { partsSettleMs: 600_000 }, 'new-file', {
      budgets: { partsMismatchBudgetMs: 300, partsMismatchFirstDelayMs: 20, partsMismatchMaxDelayMs: 50 },
    });
    const view = await uploadTo(setup);
    assert.equal(view.state, 'failed');
    assert.match(view.error?.message ?? '', /Box still reported the parts as not matching after \d+ tries over/);
    assert.match(view.error?.message ?? '', /was not saved/);
    assert.match(view.error?.detail ?? '', /400 parts_mismatch/);
  });

  it('a commit that may have landed, refused when sent again while Box holds other bytes, fails with a sentence', async (t) => {
    const setup = await setupAnswers(t, 723, {}, 'new-version');
    // The first commit is cut before Box acts on it; the second is refused with a 409.
    setup.localbox.faults.add({ on: 'commit', action: { kind: 'reset-mid-body', afterBytes: 0 } });
    setup.localbox.faults.add({ on: 'commit', skip: 1, action: { kind: 'status', status: 409, code: 'conflict' } });
    const view = await uploadTo(setup);
    assert.equal(view.state, 'failed');
    assert.match(view.error?.message ?? '', /Hoist cannot tell whether "answers-723\.bin" was saved on Box/);
    assert.match(view.error?.message ?? '', /the file there has 1000 bytes/);
    assert.match(view.error?.detail ?? '', /409 conflict/);
    assert.equal(setup.localbox.stats().requestsByOperation['create-session'], 1, 'nothing uploaded again');
  });
});
