import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { assertRetriedBeforeLaterParts } from '../../helpers/dispatch-order.ts';
import { assertStored, queueFor, readProgress, uploadOne } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;
const FILE_BYTES = 31_000_000;

/** parts_mismatch is waited out within a budget of minutes; tests wait milliseconds. */
const SHORT_BUDGETS = { partsMismatchFirstDelayMs: 20, partsMismatchMaxDelayMs: 100 };

async function setup(t: TestContext, seed: number, options = {}) {
  const localbox = await localboxFor(t, { partSize: PART_BYTES, ...options });
  const file = await writePatternFile(await tempDir(t), `retry-${seed}.bin`, FILE_BYTES, seed);
  const queue = queueFor(t, localbox, { parallel: 4, budgets: SHORT_BUDGETS });
  return { localbox, file, queue };
}

describe('engine retries against localbox faults', () => {
  for (const status of [500, 502, 503]) {
    it(`retries parts answered with ${status}`, async (t) => {
      const { localbox, file, queue } = await setup(t, status);
      localbox.faults.add({ on: 'upload-part', skip: 1, times: 3, action: { kind: 'status', status } });
      await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
      assert.equal(localbox.stats().partAttempts.filter((attempt) => attempt.status === status).length, 3);
    });
  }

  it('honours retry-after on 503 and 429, and a 429 pauses dispatch for the whole account', async (t) => {
    const { localbox, file, queue } = await setup(t, 42);
    localbox.faults.add({ on: 'upload-part', skip: 1, action: { kind: 'status', status: 429, retryAfterSeconds: 1 } });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
    // The gate held every part back: nothing beyond what was already in flight went out before the retry.
    assertRetriedBeforeLaterParts(localbox.stats().partAttempts, PART_BYTES, 4);
  });

  it('retries a connection reset in the middle of a part body', async (t) => {
    const { localbox, file, queue } = await setup(t, 43);
    localbox.faults.add({ on: 'upload-part', skip: 2, action: { kind: 'reset-mid-body', afterBytes: 2_000_000 } });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
  });

  it('treats a lost response (part stored, answer dropped) as success through the 416 overlap', async (t) => {
    const { localbox, file, queue } = await setup(t, 44);
    localbox.faults.add({ on: 'upload-part', skip: 1, action: { kind: 'lose-response' } });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
    const statuses = localbox.stats().partAttempts.map((attempt) => attempt.status);
    assert.ok(statuses.includes(416), 'the retry met the stored part');
    assert.equal(localbox.stats().partsStored, Math.ceil(FILE_BYTES / PART_BYTES), 'each part stored once');
  });

  it('sends the same commit again after 202 + retry-after, several times', async (t) => {
    const { localbox, file, queue } = await setup(t, 45);
    localbox.faults.add({ on: 'commit', times: 3, action: { kind: 'accepted', retryAfterSeconds: 0 } });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
    assert.equal(localbox.stats().requestsByOperation['commit'], 4);
  });

  it('retries a transient parts_mismatch at commit', async (t) => {
    const { localbox, file, queue } = await setup(t, 46);
    localbox.faults.add({ on: 'commit', times: 2, action: { kind: 'parts-mismatch' } });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
  });

  it('re-lists parts when parts_mismatch persists, then commits with the server’s list', async (t) => {
    const { localbox, file, queue } = await setup(t, 47);
    localbox.faults.add({ on: 'commit', times: 4, action: { kind: 'parts-mismatch' } });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
    assert.ok((localbox.stats().requestsByOperation['list-parts'] ?? 0) >= 1);
  });

  it('retries a failed commit with 5xx and a commit whose answer was lost', async (t) => {
    const { localbox, file, queue } = await setup(t, 48);
    localbox.faults.add({ on: 'commit', action: { kind: 'status', status: 503, retryAfterSeconds: 0 } });
    localbox.faults.add({ on: 'commit', skip: 1, action: { kind: 'lose-response' } });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
  });

  it('replaces a session that expired mid-upload when the file is unchanged', async (t) => {
    const { localbox, file, queue } = await setup(t, 49, { latencyMs: 20 });
    let expired = false;
    readProgress(queue, (batch) => {
      if (!expired && batch.totals.partsDone >= 2) {
        expired = true;
        void localbox.expireSessions();
      }
    });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
    assert.ok(expired);
    assert.equal(localbox.stats().requestsByOperation['create-session'], 2, 'a fresh session was created');
  });

  it('reads a part again after the server refused its digest (412), once', async (t) => {
    const { localbox, file, queue } = await setup(t, 50);
    localbox.faults.add({
      on: 'upload-part',
      skip: 1,
      action: { kind: 'status', status: 412, code: 'precondition_failed' },
    });
    await assertStored(queue, await uploadOne(queue, file.path), file.sha1);
  });

  it('fails the file with the server’s code when a part keeps failing', async (t) => {
    const { localbox, file, queue } = await setup(t, 51);
    localbox.faults.add({ on: 'upload-part', skip: 1, times: 100, action: { kind: 'status', status: 500 } });
    const view = await uploadOne(queue, file.path);
    assert.equal(view.state, 'failed');
    assert.equal(view.error?.kind, 'server-error');
    assert.match(view.error?.detail ?? '', /500/);
  });
});
