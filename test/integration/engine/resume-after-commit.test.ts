import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { describe, it, type TestContext } from 'node:test';
import { ResumableSha1 } from '../../../electron/engine/sha1/resumable-sha1.ts';
import type { BoxAnswers } from '../../../electron/localbox/box-answers.ts';
import { assertStoredOnce, setupAnswers, uploadTo } from '../../helpers/box-answers-fixture.ts';
import { queueFor, waitForState } from '../../helpers/engine-fixture.ts';
import { journalCopiedAt } from '../../helpers/journal-at-state.ts';

/** Uploads to the end, then resumes the job from the journal copied at commit, as a restarted app would. */
async function resumeAfterLandedCommit(
  t: TestContext,
  seed: number,
  answers: Partial<BoxAnswers>,
  target: 'new-file' | 'new-version' = 'new-file',
  options: { hashStateLost?: boolean; editedAfter?: boolean } = {},
) {
  const first = await setupAnswers(t, seed, {}, target);
  // The journal as a crash right after the commit went out leaves it: the session recorded as open.
  const journal = await journalCopiedAt(t, first.localbox.url, 'committing');
  const uploading = queueFor(t, first.localbox, { hooks: journal.hooks });
  const firstRun = await uploadTo({ ...first, queue: uploading });
  assert.equal(firstRun.state, 'done', JSON.stringify(firstRun.error));
  await uploading.shutdown();

  first.localbox.setAnswers(answers);
  first.localbox.resetStats();
  const [restored] = journal.restore();
  assert.ok(restored?.record.session, 'the journal still holds the session');
  // The hash state is saved about once a second: a crash may leave it behind the parts.
  if (options.hashStateLost) restored.record.wholeFile.adopt(ResumableSha1.create());
  // The file changed after its upload landed: the upload still happened, with the old bytes.
  if (options.editedAfter) await appendFile(first.file.path, 'more');
  const resumed = first.queue.adopt(restored.record);
  const view = await waitForState(first.queue, resumed, ['done', 'failed']);
  await assertStoredOnce(first, view);
  assert.equal(first.localbox.stats().partsStored, 0, 'nothing sent again');
  assert.equal(first.localbox.stats().requestsByOperation['create-session'] ?? 0, 0, 'no new session');
}

describe('resume after a commit that landed but was not journaled', () => {
  for (const committedStatus of [200, 404, 410] as const) {
    for (const committedListParts of [200, 404, 410] as const) {
      it(`finishes when a committed session's status answers ${committedStatus} and its parts ${committedListParts}`, async (t) => {
        await resumeAfterLandedCommit(t, 900 + committedStatus + committedListParts, {
          committedStatus,
          committedListParts,
        });
      });
    }
  }

  for (const commitReplay of [400, 404, 409, 410] as const) {
    it(`finishes when the session still answers and the commit sent again gets ${commitReplay}`, async (t) => {
      await resumeAfterLandedCommit(t, 950 + commitReplay, { commitReplay });
    });
  }

  it('finishes a new version without making another, whichever way the session answers', async (t) => {
    await resumeAfterLandedCommit(t, 990, { committedStatus: 404 }, 'new-version');
    await resumeAfterLandedCommit(t, 991, { commitReplay: 409 }, 'new-version');
  });

  it('reads the file again for its SHA-1 when the saved hash state fell behind', async (t) => {
    await resumeAfterLandedCommit(t, 992, { committedStatus: 410 }, 'new-file', { hashStateLost: true });
  });

  it('finishes, and does not call the file changed, when the file was edited after its commit landed', async (t) => {
    await resumeAfterLandedCommit(t, 993, { committedStatus: 404 }, 'new-file', { editedAfter: true });
    await resumeAfterLandedCommit(t, 994, {}, 'new-version', { editedAfter: true });
  });
});
