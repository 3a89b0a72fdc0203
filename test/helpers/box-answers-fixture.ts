import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { JobView } from '../../shared/job-model.ts';
import type { Destination } from '../../electron/engine/job-record.ts';
import type { QueueOptions, UploadQueue } from '../../electron/engine/upload-queue.ts';
import type { BoxAnswers } from '../../electron/localbox/box-answers.ts';
import type { LocalboxHandle } from '../../electron/localbox/localbox.ts';
import { assertStored, queueFor, waitForState } from './engine-fixture.ts';
import { localboxFor } from './localbox-fixture.ts';
import { tempDir } from './temp-dir.ts';
import { patternBytes, sha1Hex, writePatternFile } from './test-files.ts';

/** Odd part size and a file just over Box's session minimum: 4 parts. */
export const PART_BYTES = 5 * 1024 * 1024 + 1;
export const FILE_BYTES = 20_000_001;

/** Recoveries that wait on Box (parts_mismatch) wait milliseconds in tests, not minutes. */
export const SHORT_BUDGETS = { partsMismatchFirstDelayMs: 20, partsMismatchMaxDelayMs: 100 };

export interface AnswersSetup {
  localbox: LocalboxHandle;
  queue: UploadQueue;
  file: { path: string; bytes: Buffer; sha1: string };
  /** Where the upload goes: the root folder, or a new version of a file already there. */
  destination: Destination;
}

/**
 * A localbox giving `answers`, a queue with short budgets, a local file, and a destination: for
 * 'new-version', a small file already in the root for the upload to become a version of.
 */
export async function setupAnswers(
  t: TestContext,
  seed: number,
  answers: Partial<BoxAnswers>,
  target: 'new-file' | 'new-version' = 'new-file',
  queueOptions: Partial<QueueOptions> = {},
): Promise<AnswersSetup> {
  const localbox = await localboxFor(t, { partSize: PART_BYTES, answers });
  const queue = queueFor(t, localbox, { parallel: 3, budgets: SHORT_BUDGETS, ...queueOptions });
  const file = await writePatternFile(await tempDir(t), `answers-${seed}.bin`, FILE_BYTES, seed);
  if (target === 'new-file') return { localbox, queue, file, destination: { kind: 'folder', folderId: '0' } };
  const old = patternBytes(1000, seed + 1);
  const existing = await queue.client.uploadFile({
    fileName: `answers-${seed}.bin`,
    content: old,
    sha1Hex: sha1Hex(old),
    folderId: '0',
  });
  return { localbox, queue, file, destination: { kind: 'new-version', fileId: existing.id } };
}

export async function uploadTo(setup: AnswersSetup): Promise<JobView> {
  const job = setup.queue.add({ path: setup.file.path, destination: setup.destination });
  return waitForState(setup.queue, job, ['done', 'failed', 'canceled']);
}

/**
 * The job is done, Box holds the local bytes, and nothing was stored twice: the root holds one
 * file, and a version upload made exactly one version (Box's etag counts them).
 */
export async function assertStoredOnce(setup: AnswersSetup, view: JobView): Promise<void> {
  await assertStored(setup.queue, view, setup.file.sha1);
  const root = await setup.queue.client.listFolderItems('0', { limit: 1000 });
  assert.deepEqual(
    root.entries.map((item) => item.name),
    [`answers-${setup.file.path.split('answers-')[1]}`],
    'one file in the folder',
  );
  const stored = await setup.queue.client.getFile(view.fileId!);
  assert.equal(stored.etag, setup.destination.kind === 'new-version' ? '1' : '0', 'no duplicate version');
}
