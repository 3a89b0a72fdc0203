import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { BoxClient } from '../../../electron/box/box-client.ts';
import { sendHttp } from '../../../electron/box/http-transport.ts';
import { FixedTokenSource } from '../../../electron/box/token-source.ts';
import type { LocalboxUserSettings } from '../../../electron/localbox/user-account.ts';
import { UploadQueue } from '../../../electron/engine/upload-queue.ts';
import { forwardingProxy } from '../../helpers/capture-server.ts';
import { assertStored, waitForState } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

const FILE_BYTES = 21_000_000;

async function setup(
  t: TestContext,
  user: LocalboxUserSettings,
  options: { withoutUsersMe?: boolean; slow?: boolean } = {},
) {
  const localbox = await localboxFor(t, {
    partSize: 1024 * 1024,
    user,
    ...(options.slow ? { connBandwidthBytesPerSec: 2_000_000 } : {}),
  });
  const server = options.withoutUsersMe
    ? (await forwardingProxy(t, localbox.url, { notFound: /^\/2\.0\/users\/me/ })).url
    : localbox.url;
  const seen: string[] = [];
  const client = new BoxClient(
    { apiBaseUrl: server, uploadBaseUrl: `${server}/api` },
    new FixedTokenSource(localbox.token),
    {
      send: (request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        return sendHttp(request);
      },
    },
  );
  const queue = new UploadQueue({ client, maxActiveJobs: 1, random: () => 0 });
  t.after(() => queue.shutdown());
  const dir = await tempDir(t);
  const add = async (name: string, sizeBytes: number, seed: number, folderId = '0') => {
    const file = await writePatternFile(dir, name, sizeBytes, seed);
    return { file, job: queue.add({ path: file.path, destination: { kind: 'folder', folderId } }) };
  };
  return { localbox, queue, seen, add, client };
}

/**
 * The account is asked beside the session's creation (so the check costs no round trip), and a
 * refusal stops the upload before any byte of the file is sent: the requests are the questions, at
 * most one session create (Box may refuse it too) and at most its abort, and nothing else.
 */
function assertOnlyQuestionsAndAbortedSession(seen: string[], questions: string[]): void {
  const isCreate = (request: string): boolean => request === 'POST /api/2.0/files/upload_sessions';
  const isAbort = (request: string): boolean => request.startsWith('DELETE /api/2.0/files/upload_sessions/');
  const creates = seen.filter(isCreate).length;
  assert.ok(creates <= 1 && seen.filter(isAbort).length <= creates, `one session at most, aborted: ${seen}`);
  assert.deepEqual(
    seen.filter((request) => !isCreate(request) && !isAbort(request)),
    questions,
    'nothing but the questions, the session and its abort were sent',
  );
}

const settled = (queue: UploadQueue, job: Parameters<typeof waitForState>[1]) =>
  waitForState(queue, job, ['done', 'failed']);

describe('account limits from /users/me', () => {
  it('refuses a file over max_upload_size before any byte is sent, naming both sizes', async (t) => {
    const { localbox, queue, seen, add } = await setup(t, { maxUploadSizeBytes: 20_500_000 });
    const { job } = await add('too-big.bin', FILE_BYTES, 1);
    const view = await settled(queue, job);
    assert.equal(view.state, 'failed');
    assert.equal(view.error?.kind, 'quota');
    assert.match(view.error?.message ?? '', /21,000,000 bytes/);
    assert.match(view.error?.message ?? '', /20,500,000 bytes/);
    assertOnlyQuestionsAndAbortedSession(seen, ['GET /2.0/users/me']);
    assert.equal(localbox.stats().partBodyBytesReceived, 0);
  });

  it('counts what the batch uploaded against the space left, asking /users/me once', async (t) => {
    const { localbox, queue, seen, add } = await setup(t, { spaceAmountBytes: 50_000_000, spaceUsedBytes: 5_000_000 });
    const first = await add('a.bin', FILE_BYTES, 2);
    const second = await add('b.bin', 25_000_000, 3);
    const third = await add('c.bin', 4_000_000, 4);
    const views = await Promise.all([first, second, third].map(({ job }) => settled(queue, job)));
    await assertStored(queue, views[0]!, first.file.sha1);
    assert.equal(views[1]!.state, 'failed');
    assert.match(views[1]!.error?.message ?? '', /25,000,000 bytes.*24,000,000 bytes\) left/);
    await assertStored(queue, views[2]!, third.file.sha1);
    assert.equal(seen.filter((request) => request.endsWith('/users/me')).length, 1, 'one /users/me for the batch');
    assert.equal(localbox.stats().requestsByOperation['create-session'], 1, 'the refused file created no session');
  });

  it('a 403 storage_limit_exceeded during an upload gets the same kind of sentence', async (t) => {
    const { localbox, queue, add } = await setup(
      t,
      { spaceAmountBytes: 100_000_000, spaceUsedBytes: 0 },
      { slow: true },
    );
    const { job } = await add('filling.bin', FILE_BYTES, 5);
    await until(() => job.view().totals.partsDone >= 2, 'parts confirmed', 60_000);
    localbox.setUser({ spaceUsedBytes: 99_000_000 }); // someone else filled the account meanwhile
    const view = await settled(queue, job);
    assert.equal(view.state, 'failed');
    assert.equal(view.error?.kind, 'quota');
    assert.match(view.error?.message ?? '', /21,000,000 bytes.*1,000,000 bytes\) left/);
  });

  it('a server without /users/me (404) does not block uploads', async (t) => {
    const { queue, seen, add } = await setup(t, {}, { withoutUsersMe: true });
    const { file, job } = await add('fine.bin', 1_000_000, 6);
    await assertStored(queue, await settled(queue, job), file.sha1);
    assert.equal(seen[0], 'GET /2.0/users/me');
  });

  it("lets Box decide for a folder another user owns: Box counts the file against the owner's quota", async (t) => {
    const full = { spaceAmountBytes: 50_000_000, spaceUsedBytes: 50_000_000 };
    const { localbox, queue, seen, add, client } = await setup(t, full);
    const shared = await client.createFolder('Shared with me', '0');
    const inside = await client.createFolder('Inside', shared.id);
    localbox.setUser({ foreignFolderIds: [shared.id] });
    const { file, job } = await add('into-shared.bin', FILE_BYTES, 7, inside.id);
    await assertStored(queue, await settled(queue, job), file.sha1);
    assert.ok(seen.includes(`GET /2.0/folders/${inside.id}`), 'the owner was asked');
    const again = await add('again.bin', FILE_BYTES, 8, inside.id);
    await assertStored(queue, await settled(queue, again.job), again.file.sha1);
    const ownerQuestions = seen.filter((request) => request === `GET /2.0/folders/${inside.id}`);
    assert.equal(ownerQuestions.length, 1, 'the owner is asked once per folder');
  });

  it("says it is the folder owner's space when Box refuses a file into someone else's folder", async (t) => {
    const { localbox, queue, add, client } = await setup(t, { spaceAmountBytes: 50_000_000, spaceUsedBytes: 0 });
    const shared = await client.createFolder('Shared with me', '0');
    localbox.setUser({ foreignFolderIds: [shared.id] });
    localbox.faults.add({
      on: 'create-session',
      action: { kind: 'status', status: 403, code: 'storage_limit_exceeded' },
    });
    const { job } = await add('owner-full.bin', FILE_BYTES, 10, shared.id);
    const view = await settled(queue, job);
    assert.equal(view.state, 'failed');
    assert.equal(view.error?.kind, 'quota');
    assert.match(view.error?.message ?? '', /owner of the folder it goes to has no room/);
    assert.equal(localbox.stats().partBodyBytesReceived, 0);
  });

  it('refuses before any byte a file larger than the space left in a folder the user owns', async (t) => {
    const { localbox, queue, seen, add, client } = await setup(t, {
      spaceAmountBytes: 50_000_000,
      spaceUsedBytes: 40_000_000,
    });
    const own = await client.createFolder('Mine', '0');
    seen.length = 0;
    const { job } = await add('too-big-here.bin', FILE_BYTES, 9, own.id);
    const view = await settled(queue, job);
    assert.equal(view.state, 'failed');
    assert.equal(view.error?.kind, 'quota');
    assert.match(view.error?.message ?? '', /21,000,000 bytes.*10,000,000 bytes\) left/);
    assertOnlyQuestionsAndAbortedSession(seen, ['GET /2.0/users/me', `GET /2.0/folders/${own.id}`]);
    assert.equal(localbox.stats().partBodyBytesReceived, 0);
  });
});
