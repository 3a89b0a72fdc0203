import assert from 'node:assert/strict';
import { it } from 'node:test';
import { BoxClient } from '../../../electron/box/box-client.ts';
import { oauthEndpointsFor } from '../../../electron/box/oauth/oauth-endpoints.ts';
import { OAuthTokenSource } from '../../../electron/box/oauth/oauth-token-source.ts';
import { MemoryTokenStore } from '../../../electron/box/oauth/token-store.ts';
import { UploadQueue } from '../../../electron/engine/upload-queue.ts';
import { assertStored, waitForState } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { appOf, browserSignIn, storedFor } from '../../helpers/oauth-sign-in.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

const PART_BYTES = 1024 * 1024;
const FILE_BYTES = 21_000_000;

it('a sign-in revoked mid-upload makes jobs wait for sign-in, and they finish after a new one without re-sending confirmed parts', async (t) => {
  const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 2_000_000 });
  const tokens = new OAuthTokenSource({
    endpoints: oauthEndpointsFor(localbox.url),
    app: appOf(localbox),
    store: new MemoryTokenStore(storedFor(localbox, await browserSignIn(localbox))),
  });
  const client = new BoxClient({ apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` }, tokens);
  const queue = new UploadQueue({ client, parallel: 3, maxPartsInFlight: 9, random: () => 0 });
  t.after(() => queue.shutdown());
  const dir = await tempDir(t);
  const files = await Promise.all([1, 2].map((seed) => writePatternFile(dir, `r-${seed}.bin`, FILE_BYTES, seed)));
  const jobs = files.map((file) => queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } }));

  await until(() => jobs.every((job) => job.view().totals.partsDone >= 3), 'some parts confirmed', 60_000);
  localbox.revokeAllTokens();
  const waiting = await Promise.all(jobs.map((job) => waitForState(queue, job, ['waiting-sign-in', 'failed', 'done'])));
  for (const view of waiting) {
    assert.equal(view.state, 'waiting-sign-in', JSON.stringify(view.error));
    assert.equal(view.error?.kind, 'sign-in-required');
    assert.match(view.error?.message ?? '', /sign in again/);
  }
  assert.equal(tokens.needsSignIn, true);
  const confirmedBefore = jobs.map((job) => job.view().totals.partsDone);

  await tokens.signedIn(storedFor(localbox, await browserSignIn(localbox)));
  const views = await Promise.all(jobs.map((job) => waitForState(queue, job, ['done', 'failed'])));
  for (const [index, view] of views.entries()) await assertStored(queue, view, files[index]!.sha1);

  const stats = localbox.stats();
  const stored = stats.partAttempts.filter((attempt) => attempt.status === 200 || attempt.status === 201);
  const keys = stored.map((attempt) => `${attempt.sessionId}@${attempt.offset}`);
  assert.equal(new Set(keys).size, keys.length, 'no part was stored twice');
  assert.equal(stats.partsStored, 2 * Math.ceil(FILE_BYTES / PART_BYTES), 'each part stored once');
  assert.ok(confirmedBefore.every((count) => count >= 3));
});
