import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertStoredOnce, FILE_BYTES, PART_BYTES, setupAnswers, uploadTo } from '../../helpers/box-answers-fixture.ts';

const TOTAL_PARTS = Math.ceil(FILE_BYTES / PART_BYTES);

/** Upload sessions localbox holds on disk (each create that reached it made one). */
async function sessionsOnDisk(dataDir: string): Promise<number> {
  return (await readdir(join(dataDir, 'sessions'))).length;
}

/**
 * Answers Box gives to session creation and part uploads (box-api.md sections 2, 4 and 16), each
 * selected in localbox: the job ends with Box holding the local bytes once.
 */
describe('sessions and parts: the client succeeds however Box answers', () => {
  it('a replayed create answered 409 session_conflict continues with the session Box names', async (t) => {
    for (const target of ['new-file', 'new-version'] as const) {
      const setup = await setupAnswers(t, 800, {}, target);
      // The first create lands but its answer is lost; the replay meets the session it made.
      setup.localbox.faults.add({ on: 'create-session', action: { kind: 'lose-response' } });
      setup.localbox.faults.add({ on: 'create-session', skip: 1, action: { kind: 'session-conflict' } });
      await assertStoredOnce(setup, await uploadTo(setup));
      assert.equal(await sessionsOnDisk(setup.localbox.dataDir), 1, `${target}: one session, the one Box named`);
    }
  });

  it('a session_conflict naming a session that cannot be used starts a fresh one', async (t) => {
    const named = await setupAnswers(t, 801, {});
    named.localbox.faults.add({ on: 'create-session', action: { kind: 'session-conflict', expired: true } });
    await assertStoredOnce(named, await uploadTo(named));
    assert.equal(await sessionsOnDisk(named.localbox.dataDir), 2, 'the expired one and a fresh one');
    const unnamed = await setupAnswers(t, 802, {});
    unnamed.localbox.faults.add({
      on: 'create-session',
      action: { kind: 'status', status: 409, code: 'session_conflict' },
    });
    await assertStoredOnce(unnamed, await uploadTo(unnamed));
  });

  it('409 name_temporarily_reserved and operation_blocked_temporary are waited out', async (t) => {
    const setup = await setupAnswers(t, 803, {});
    for (const code of ['name_temporarily_reserved', 'operation_blocked_temporary']) {
      setup.localbox.faults.add({ on: 'create-session', action: { kind: 'status', status: 409, code } });
    }
    setup.localbox.faults.add({
      on: 'commit',
      action: { kind: 'status', status: 409, code: 'name_temporarily_reserved' },
    });
    await assertStoredOnce(setup, await uploadTo(setup));
    assert.equal(setup.localbox.stats().requestsByOperation['create-session'], 3);
  });

  it('403 storage_limit_exceeded fails the file with a sentence about space', async (t) => {
    const setup = await setupAnswers(t, 804, {});
    setup.localbox.faults.add({
      on: 'create-session',
      action: { kind: 'status', status: 403, code: 'storage_limit_exceeded' },
    });
    const view = await uploadTo(setup);
    assert.equal(view.state, 'failed');
    assert.equal(view.error?.kind, 'quota');
    assert.match(
      view.error?.message ?? '',
      /Box says this account has no room for it|more than is left in this Box account/,
    );
  });

  it('a 416 overlap without conflicting_part is checked by listing the part (box-ui-elements)', async (t) => {
    const setup = await setupAnswers(t, 805, { overlapConflictingPart: 'none' });
    // Part 2 is stored but its answer lost: the retry meets a bare 416.
    setup.localbox.faults.add({ on: 'upload-part', skip: 2, action: { kind: 'lose-response' } });
    await assertStoredOnce(setup, await uploadTo(setup));
    const stats = setup.localbox.stats();
    assert.ok(
      stats.partAttempts.some((attempt) => attempt.status === 416),
      'the retry met the stored part',
    );
    assert.ok((stats.requestsByOperation['list-parts'] ?? 0) >= 1, 'and listed it');
    assert.equal(stats.partsStored, TOTAL_PARTS, 'each part stored once');
  });

  it('a refused part digest, answered 400 bad_digest, is read again and sent once more', async (t) => {
    const setup = await setupAnswers(t, 806, { partDigestMismatch: 400 });
    setup.localbox.faults.add({
      on: 'upload-part',
      skip: 1,
      action: { kind: 'status', status: 400, code: 'bad_digest' },
    });
    await assertStoredOnce(setup, await uploadTo(setup));
  });
});
