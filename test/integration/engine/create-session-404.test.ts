import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queueFor, waitForState } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { patternBytes, sha1Hex, writePatternFile } from '../../helpers/test-files.ts';

const PART_BYTES = 5 * 1024 * 1024 + 1;
const FILE_BYTES = 20_000_001;

/**
 * A 404 to a session's create is the destination that is gone (Box: 404 invalid_parameter or
 * not_found), not a lost session: creating another would meet it again. The job fails at once.
 */
describe('create-session answered 404: the job fails at once, naming what is gone', () => {
  it('a destination folder that does not exist (localbox: 404 invalid_parameter)', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const queue = queueFor(t, localbox);
    const file = await writePatternFile(await tempDir(t), 'gone.bin', FILE_BYTES, 1401);
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '987654' } });
    const view = await waitForState(queue, job, ['done', 'failed']);
    assert.equal(view.state, 'failed');
    assert.equal(view.error?.kind, 'folder-missing');
    assert.match(view.error?.message ?? '', /The destination folder 987654 does not exist, or you cannot see it/);
    assert.equal(localbox.stats().requestsByOperation['create-session'], 1, 'created once, not again');
  });

  it('a destination folder deleted, answered 404 not_found', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const queue = queueFor(t, localbox);
    const folder = await queue.client.createFolder('Reports', '0');
    const file = await writePatternFile(await tempDir(t), 'gone.bin', FILE_BYTES, 1402);
    localbox.faults.add({
      on: 'create-session',
      action: { kind: 'status', status: 404, code: 'not_found' },
      times: 10,
    });
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: folder.id } });
    const view = await waitForState(queue, job, ['done', 'failed']);
    assert.equal(view.state, 'failed');
    assert.equal(view.error?.kind, 'folder-missing');
    assert.match(view.error?.message ?? '', new RegExp(`The destination folder ${folder.id} does not exist`));
    assert.match(view.error?.detail ?? '', /404 not_found/);
    assert.equal(localbox.stats().requestsByOperation['create-session'], 1, 'created once, not again');
  });

  it('the file a new version was for, answered 404 not_found', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const queue = queueFor(t, localbox);
    const old = patternBytes(1000, 1403);
    const existing = await queue.client.uploadFile({
      fileName: 'v.bin',
      content: old,
      sha1Hex: sha1Hex(old),
      folderId: '0',
    });
    const file = await writePatternFile(await tempDir(t), 'v.bin', FILE_BYTES, 1404);
    localbox.faults.add({
      on: 'create-session',
      action: { kind: 'status', status: 404, code: 'not_found' },
      times: 10,
    });
    const job = queue.add({ path: file.path, destination: { kind: 'new-version', fileId: existing.id } });
    const view = await waitForState(queue, job, ['done', 'failed']);
    assert.equal(view.state, 'failed');
    assert.match(view.error?.message ?? '', /The file on Box to add "v\.bin" to as a new version no longer exists/);
    assert.equal(localbox.stats().requestsByOperation['create-session'], 1, 'created once, not again');
  });

  it('the file a small new version was for, its direct upload answered 404 not_found', async (t) => {
    const localbox = await localboxFor(t);
    const queue = queueFor(t, localbox);
    const old = patternBytes(1000, 1405);
    const existing = await queue.client.uploadFile({
      fileName: 's.bin',
      content: old,
      sha1Hex: sha1Hex(old),
      folderId: '0',
    });
    const file = await writePatternFile(await tempDir(t), 's.bin', 5000, 1406);
    localbox.faults.add({ on: 'direct-upload', action: { kind: 'status', status: 404, code: 'not_found' } });
    const job = queue.add({ path: file.path, destination: { kind: 'new-version', fileId: existing.id } });
    const view = await waitForState(queue, job, ['done', 'failed']);
    assert.equal(view.state, 'failed');
    assert.match(view.error?.message ?? '', /The file on Box to add "s\.bin" to as a new version no longer exists/);
  });
});
