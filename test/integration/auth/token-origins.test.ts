import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BoxClient } from '../../../electron/box/box-client.ts';
import { FileTokenStore, signInFileFor } from '../../../electron/box/oauth/file-token-store.ts';
import { oauthEndpointsFor } from '../../../electron/box/oauth/oauth-endpoints.ts';
import { OAuthTokenSource } from '../../../electron/box/oauth/oauth-token-source.ts';
import { MemoryTokenStore } from '../../../electron/box/oauth/token-store.ts';
import { UploadQueue } from '../../../electron/engine/upload-queue.ts';
import { captureServer, hostRewritingProxy } from '../../helpers/capture-server.ts';
import { waitForState } from '../../helpers/engine-fixture.ts';
import { killHard, runHoist, startHoist } from '../../helpers/hoist-process.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { appOf, browserSignIn, storedFor } from '../../helpers/oauth-sign-in.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

const NO_ENV_TOKEN = { HOIST_TOKEN: '' };

describe('tokens go only to the servers they were issued for', () => {
  it('refuses session_endpoints on another origin: the part goes nowhere, the job says why', async (t) => {
    const capture = await captureServer(t);
    const localbox = await localboxFor(t, { partSize: 1024 * 1024 });
    // The server the person signed in to answers with sessions on another origin.
    const server = await hostRewritingProxy(t, localbox.url, new URL(capture.url).host);
    const signIn = {
      ...storedFor(localbox, await browserSignIn(localbox)),
      apiOrigin: server.url,
      uploadOrigin: server.url,
    };
    const tokens = new OAuthTokenSource({
      endpoints: oauthEndpointsFor(localbox.url),
      app: appOf(localbox),
      store: new MemoryTokenStore(signIn),
    });
    const client = new BoxClient({ apiBaseUrl: server.url, uploadBaseUrl: `${server.url}/api` }, tokens);
    const queue = new UploadQueue({ client, random: () => 0 });
    t.after(() => queue.shutdown());
    const file = await writePatternFile(await tempDir(t), 'elsewhere.bin', 21_000_000, 7);
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
    const view = await waitForState(queue, job, ['done', 'failed']);
    assert.equal(view.state, 'failed');
    assert.match(view.error?.message ?? '', new RegExp(`refused to send the access token to ${capture.url}`));
    assert.deepEqual(capture.requests, [], 'the capture server received nothing');
    assert.equal(localbox.stats().partsStored, 0);
  });

  it('a token for one server is refused for another before anything is sent', async (t) => {
    const capture = await captureServer(t);
    const localbox = await localboxFor(t);
    const tokens = new OAuthTokenSource({
      endpoints: oauthEndpointsFor(localbox.url),
      app: appOf(localbox),
      store: new MemoryTokenStore(storedFor(localbox, await browserSignIn(localbox))),
    });
    // A changed server setting with the old account's tokens.
    const client = new BoxClient({ apiBaseUrl: capture.url, uploadBaseUrl: `${capture.url}/api` }, tokens);
    await assert.rejects(client.getCurrentUser(), /refused to send the access token/);
    await assert.rejects(client.getUploadSession(`${capture.url}/api/2.0/files/upload_sessions/1`), /refused/);
    assert.deepEqual(capture.requests, []);
  });

  it('the CLI uses a stored sign-in only for its own origin, and never follows an edited journal', async (t) => {
    const capture = await captureServer(t);
    const localbox = await localboxFor(t, { partSize: 1024 * 1024, connBandwidthBytesPerSec: 2_000_000 });
    const stateDir = await tempDir(t);
    const store = new FileTokenStore(signInFileFor(stateDir, localbox.url), { app: appOf(localbox) });
    await store.save(storedFor(localbox, await browserSignIn(localbox)));
    const file = await writePatternFile(await tempDir(t), 'journal.bin', 21_000_000, 8);

    // --api-url pointing at the capture server: the sign-in for localbox is not used.
    const elsewhere = await runHoist(
      ['upload', file.path, '--api-url', capture.url, '--state-dir', stateDir],
      NO_ENV_TOKEN,
    );
    assert.equal(elsewhere.code, 2);
    assert.match(
      elsewhere.stderr,
      new RegExp(`not signed in to ${capture.url}: run hoist login --api-url ${capture.url}`),
    );
    const who = await runHoist(['whoami', '--api-url', capture.url, '--state-dir', stateDir], NO_ENV_TOKEN);
    assert.equal(who.code, 1);

    // An upload with the stored sign-in, killed part way; then its journal is edited.
    const upload = startHoist(
      t,
      ['upload', file.path, '--api-url', localbox.url, '--state-dir', stateDir, '--json', '--parallel', '2'],
      NO_ENV_TOKEN,
    );
    await until(() => localbox.stats().partsStored >= 2, 'some parts stored', 60_000);
    await killHard(upload);
    const journalPath = join(stateDir, 'journal', 'jobs.json');
    const journal = await readFile(journalPath, 'utf8');
    const sessions = `${localbox.url}/api/2.0/files/upload_sessions`;
    assert.ok(journal.includes(sessions), 'the journal holds the session URLs');
    await writeFile(journalPath, journal.replaceAll(sessions, `${capture.url}/api/2.0/files/upload_sessions`));

    const resumed = await runHoist(
      ['resume', '--api-url', localbox.url, '--state-dir', stateDir, '--json'],
      NO_ENV_TOKEN,
    );
    // The journal's session is on another origin: it is not used (the journal says why), and the
    // file uploads anew to the server the sign-in belongs to.
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout + resumed.stderr, /pointed at http:\/\/127\.0\.0\.1:\d+, not at .*it was not used/);
    assert.deepEqual(capture.requests, [], 'the capture server received nothing at all');
  });
});
