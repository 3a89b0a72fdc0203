import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertStoredOnce, FILE_BYTES, PART_BYTES, setupAnswers, uploadTo } from '../../helpers/box-answers-fixture.ts';

const TOTAL_PARTS = Math.ceil(FILE_BYTES / PART_BYTES);

/**
 * A part whose first PUT landed but whose answer was lost meets Box's overlap when sent again.
 * Box's upload-part guide names the code (range_overlaps_existing_part) without a status; its
 * spec answers this PUT 409 when "the chunk conflicts with another chunk previously uploaded",
 * code unknown (box-api.md section 4). Whatever Box answers, the job ends with Box holding the
 * local bytes once.
 */
describe('a part sent again: the client succeeds however Box answers the overlap', () => {
  for (const overlapConflictingPart of ['full', 'none'] as const) {
    const carrying = overlapConflictingPart === 'full' ? 'with' : 'without';
    it(`409 range_overlaps_existing_part ${carrying} conflicting_part: the part is taken as stored`, async (t) => {
      const setup = await setupAnswers(t, 830 + (overlapConflictingPart === 'full' ? 0 : 1), {
        overlapStatus: 409,
        overlapConflictingPart,
      });
      // One part is stored but its answer lost: the retry meets a 409 for the part Box holds.
      setup.localbox.faults.add({ on: 'upload-part', skip: 1, action: { kind: 'lose-response' } });
      await assertStoredOnce(setup, await uploadTo(setup));
      const stats = setup.localbox.stats();
      assert.equal(stats.partAttempts.filter((attempt) => attempt.status === 409).length, 1, 'one 409, not retried');
      assert.equal(stats.partAttempts.length, TOTAL_PARTS + 1, 'only the lost part sent twice');
      assert.equal(stats.partsStored, TOTAL_PARTS, 'each part stored once');
      if (overlapConflictingPart === 'none') {
        assert.ok((stats.requestsByOperation['list-parts'] ?? 0) >= 1, 'the part was looked up in the list');
      }
    });
  }

  it('a 409 with another code, for a part Box does not hold, is checked in the list and the part sent again', async (t) => {
    const setup = await setupAnswers(t, 832, {});
    // Box's code for its 409 is unknown; this one stores nothing.
    setup.localbox.faults.add({
      on: 'upload-part',
      skip: 1,
      action: { kind: 'status', status: 409, code: 'conflict' },
    });
    await assertStoredOnce(setup, await uploadTo(setup));
    const stats = setup.localbox.stats();
    assert.ok((stats.requestsByOperation['list-parts'] ?? 0) >= 1, 'the part was looked up, not sent blindly');
    assert.equal(stats.partAttempts.length, TOTAL_PARTS + 1, 'the refused part sent once more');
    assert.equal(stats.partsStored, TOTAL_PARTS);
  });

  it('a part list that answers 409 too ends the check after the retry limit: the file fails, it does not loop', async (t) => {
    const setup = await setupAnswers(t, 833, { overlapStatus: 409, overlapConflictingPart: 'none' });
    setup.localbox.faults.add({ on: 'upload-part', skip: 1, action: { kind: 'lose-response' } });
    setup.localbox.faults.add({
      on: 'list-parts',
      times: 1000,
      action: { kind: 'status', status: 409, code: 'conflict' },
    });
    const view = await uploadTo(setup);
    assert.equal(view.state, 'failed');
    assert.match(view.error?.detail ?? view.error?.message ?? '', /409/);
    assert.ok((setup.localbox.stats().requestsByOperation['list-parts'] ?? 0) <= 10, 'a bounded number of checks');
  });
});
