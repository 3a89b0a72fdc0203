import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { JobProgressBatch, JobView } from '../../shared/job-model.ts';
import { BoxClient } from '../../electron/box/box-client.ts';
import { FixedTokenSource, type TokenSource } from '../../electron/box/token-source.ts';
import type { LocalboxHandle } from '../../electron/localbox/localbox.ts';
import { UploadQueue, type QueueOptions } from '../../electron/engine/upload-queue.ts';
import type { UploadJob } from '../../electron/engine/upload-job.ts';

export function clientFor(localbox: Pick<LocalboxHandle, 'url' | 'token'>, tokens?: TokenSource): BoxClient {
  return new BoxClient(
    { apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` },
    tokens ?? new FixedTokenSource(localbox.token),
  );
}

/** A queue uploading to `localbox`, with backoff jitter pinned to zero so retries are immediate. */
export function queueFor(
  t: TestContext,
  localbox: Pick<LocalboxHandle, 'url' | 'token'>,
  options: Partial<QueueOptions> = {},
): UploadQueue {
  const queue = new UploadQueue({ client: clientFor(localbox), random: () => 0, ...options });
  t.after(() => queue.shutdown());
  return queue;
}

/** Resolves with the job's view once it reaches one of `states`. */
export function waitForState(
  queue: UploadQueue,
  job: UploadJob,
  states: JobView['state'][],
  timeoutMs = 60_000,
): Promise<JobView> {
  return new Promise((resolve, reject) => {
    const check = (view: JobView): void => {
      if (view.id !== job.id || !states.includes(view.state)) return;
      clearTimeout(timer);
      queue.off('job-changed', check);
      resolve(view);
    };
    const timer = setTimeout(() => {
      queue.off('job-changed', check);
      reject(new Error(`job stayed ${job.state}, never reached ${states.join('/')}`));
    }, timeoutMs);
    queue.on('job-changed', check);
    check(job.view());
  });
}

/**
 * Reads the queue's progress as the app and the CLI do, but as soon as it is pending (on the
 * next turn of the event loop), and hands each batch to `onBatch`. Returns a function that stops.
 */
export function readProgress(queue: UploadQueue, onBatch: (batch: JobProgressBatch) => void): () => void {
  let reading = true;
  const read = (): void => {
    if (reading) for (const batch of queue.takeProgress()) onBatch(batch);
  };
  const pending = (): void => void setImmediate(read);
  queue.on('progress-pending', pending);
  return () => {
    reading = false;
    queue.off('progress-pending', pending);
  };
}

/** Uploads one file to the root folder and waits for it to finish. */
export async function uploadOne(queue: UploadQueue, path: string, folderId = '0'): Promise<JobView> {
  const job = queue.add({ path, destination: { kind: 'folder', folderId } });
  return waitForState(queue, job, ['done', 'failed', 'canceled']);
}

/** Asserts the job is done and Box holds exactly the local bytes. */
export async function assertStored(queue: UploadQueue, view: JobView, sha1: string): Promise<void> {
  assert.equal(view.state, 'done', JSON.stringify(view.error));
  assert.equal(view.sha1, sha1);
  const file = await queue.client.getFile(view.fileId!);
  assert.equal(file.sha1, sha1, 'the server computed the same SHA-1 from the bytes it stored');
}
