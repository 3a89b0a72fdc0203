import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { BoxClient } from '../../../electron/box/box-client.ts';
import { FixedTokenSource } from '../../../electron/box/token-source.ts';
import type { RequestEvent } from '../../../electron/localbox/localbox-stats.ts';
import { UploadQueue } from '../../../electron/engine/upload-queue.ts';
import { assertStored, waitForState } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

/**
 * What comes before a file's first byte reaches the server (issue 13, time to first part): the
 * account's check runs beside the session's creation, not before it, and nothing waits between
 * the session's answer and the first part. Checked from localbox's side by the order of requests
 * (positions in its event sequence), never by clock time: every answer is delayed, so requests
 * made one after another cannot overlap, and requests made together do.
 */
async function upload(t: TestContext, sizeBytes: number) {
  const localbox = await localboxFor(t, { partSize: 1024 * 1024, latencyMs: 150 });
  const client = new BoxClient(
    { apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` },
    new FixedTokenSource(localbox.token),
  );
  const queue = new UploadQueue({ client, random: () => 0 });
  t.after(() => queue.shutdown());
  const file = await writePatternFile(await tempDir(t), 'first.bin', sizeBytes, 13);
  const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
  await assertStored(queue, await waitForState(queue, job, ['done', 'failed']), file.sha1);
  const requests = localbox.stats().requests;
  const find = (what: string, test: (request: RequestEvent) => boolean): RequestEvent => {
    const found = requests.find(test);
    assert.ok(found, `${what} was sent: ${requests.map((request) => `${request.method} ${request.path}`)}`);
    return found;
  };
  const usersMe = find('GET /users/me', (request) => request.path === '/2.0/users/me');
  return { requests, usersMe, find };
}

const ended = (request: RequestEvent): number => {
  assert.notEqual(request.endSeq, null, `${request.method} ${request.path} was answered`);
  return request.endSeq!;
};

describe('before the first byte of a file', () => {
  it('asks the account beside creating the session, and sends the first part only after both answers', async (t) => {
    const { requests, usersMe, find } = await upload(t, 21_000_000);
    const create = find('the session create', (request) => request.operation === 'create-session');
    const firstPart = find('a part', (request) => request.operation === 'upload-part');
    assert.ok(
      create.startSeq < ended(usersMe) && usersMe.startSeq < ended(create),
      'the session was asked for while /users/me was still unanswered (together, not one after the other)',
    );
    assert.ok(firstPart.startSeq > ended(usersMe), "the account's answer came before any byte of the file");
    const between = requests.filter(
      (request) => request.startSeq > ended(create) && request.startSeq < firstPart.startSeq,
    );
    assert.deepEqual(between, [], 'nothing was asked between the session answer and the first part');
  });

  it('a small file (direct upload): the account is asked before the bytes, and nothing else waits', async (t) => {
    const { requests, usersMe, find } = await upload(t, 1000);
    const content = find('the upload', (request) => request.operation === 'direct-upload');
    assert.ok(content.startSeq > ended(usersMe), "the account's answer came before the file's bytes");
    const before = requests.filter((request) => request.startSeq < content.startSeq);
    assert.deepEqual(
      before.map((request) => request.path),
      ['/2.0/users/me'],
      'the only request before the bytes is the account question',
    );
  });
});
