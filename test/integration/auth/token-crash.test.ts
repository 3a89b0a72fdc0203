import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it, type TestContext } from 'node:test';
import { BoxClient } from '../../../electron/box/box-client.ts';
import { FileTokenStore, signInFileFor } from '../../../electron/box/oauth/file-token-store.ts';
import { oauthEndpointsFor } from '../../../electron/box/oauth/oauth-endpoints.ts';
import { OAuthTokenSource } from '../../../electron/box/oauth/oauth-token-source.ts';
import { UploadQueue } from '../../../electron/engine/upload-queue.ts';
import type { LocalboxHandle } from '../../../electron/localbox/localbox.ts';
import { assertStored, clientFor, waitForState } from '../../helpers/engine-fixture.ts';
import { eventsOf, killHard, startHoist, waitForEvent } from '../../helpers/hoist-process.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { appOf, browserSignIn, storedFor } from '../../helpers/oauth-sign-in.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

const NO_ENV_TOKEN = { HOIST_TOKEN: '' };
const lastJson = (text: string) => JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('a crash around the token endpoint', () => {
  it('a refresh whose answer is lost (rotated on the server) asks for a sign-in, then finishes with nothing lost', async (t) => {
    const localbox = await localboxFor(t, {
      partSize: 1024 * 1024,
      accessTokenTtlSeconds: 2,
      connBandwidthBytesPerSec: 2_000_000,
    });
    const stateDir = await tempDir(t);
    const store = new FileTokenStore(signInFileFor(stateDir, localbox.url), { app: appOf(localbox) });
    await store.save(storedFor(localbox, await browserSignIn(localbox)));
    localbox.faults.add({ on: 'token', action: { kind: 'lose-response' } });
    const tokens = new OAuthTokenSource({ endpoints: oauthEndpointsFor(localbox.url), app: appOf(localbox), store });
    const client = new BoxClient({ apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` }, tokens);
    const queue = new UploadQueue({ client, parallel: 3, random: () => 0 });
    t.after(() => queue.shutdown());
    const file = await writePatternFile(await tempDir(t), 'lost.bin', 21_000_000, 11);
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });

    const waiting = await waitForState(queue, job, ['waiting-sign-in', 'done', 'failed']);
    assert.equal(waiting.state, 'waiting-sign-in', JSON.stringify(waiting.error));
    assert.ok(localbox.stats().tokenRequests.refresh_token >= 2, 'the lost refresh, then the old token refused');
    // A new start finds what was saved: the old refresh token, which the server already rotated.
    const restarted = new OAuthTokenSource({ endpoints: oauthEndpointsFor(localbox.url), app: appOf(localbox), store });
    await assert.rejects(restarted.current(), /sign in again/);

    await tokens.signedIn(storedFor(localbox, await browserSignIn(localbox)));
    await assertStored(queue, await waitForState(queue, job, ['done', 'failed']), file.sha1);
  });

  /**
   * A CLI upload to localbox (tokens live 2 s) killed with kill -9 once `killWhen` holds, after
   * parts are on the server and the job is in the journal; then `hoist resume`, signing in again
   * when it asks. Returns how the resume went.
   */
  async function killAndResume(
    t: TestContext,
    seed: number,
    killWhen: (localbox: LocalboxHandle, signInPath: string, refreshesBefore: number) => Promise<boolean>,
  ) {
    const localbox = await localboxFor(t, {
      partSize: 1024 * 1024,
      accessTokenTtlSeconds: 2,
      connBandwidthBytesPerSec: 1_500_000,
    });
    const stateDir = await tempDir(t);
    const path = signInFileFor(stateDir, localbox.url);
    const store = new FileTokenStore(path, { app: appOf(localbox) });
    await store.save(storedFor(localbox, await browserSignIn(localbox)));
    const file = await writePatternFile(await tempDir(t), `killed-${seed}.bin`, 21_000_000, seed);
    const upload = startHoist(
      t,
      ['upload', file.path, '--api-url', localbox.url, '--state-dir', stateDir, '--json', '--parallel', '3'],
      NO_ENV_TOKEN,
    );
    await until(() => localbox.stats().partsStored >= 2, 'parts stored', 60_000);
    const refreshesBefore = localbox.stats().tokenRequests.refresh_token;
    for (const startedMs = Date.now(); !(await killWhen(localbox, path, refreshesBefore));) {
      assert.ok(Date.now() - startedMs < 60_000, 'the moment to kill never came');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await killHard(upload);
    JSON.parse(await readFile(path, 'utf8')); // the sign-in file is whole, old or new

    const resume = startHoist(
      t,
      ['resume', '--api-url', localbox.url, '--state-dir', stateDir, '--json'],
      NO_ENV_TOKEN,
    );
    // Either it goes on with the saved refresh token, or the job waits for a sign-in.
    const outcome = await Promise.race([
      resume.exited.then(() => 'exited' as const),
      waitForEvent(resume, (event) => event['state'] === 'waiting-sign-in').then(
        () => 'waiting' as const,
        () => 'exited' as const, // it ended first
      ),
    ]);
    if (outcome === 'waiting') {
      // The refresh's answer died with the process. `hoist login` in another terminal (here: the
      // same file written by this test) wakes the waiting job, which goes on where it was.
      // stderr is its own pipe: the line may arrive a moment after the event on stdout.
      await until(() => /run hoist login --api-url/.test(resume.stderr()), 'hoist says how to sign in again');
      await store.save(storedFor(localbox, await browserSignIn(localbox)));
    }
    assert.equal(await resume.exited, 0, resume.stderr());
    const done = lastJson(resume.stdout());
    assert.equal(done['sha1'], file.sha1);
    const stored = await clientFor(localbox).getFile(String(done['fileId']));
    assert.equal(stored.sha1, file.sha1, 'the server holds exactly the local bytes');
    assert.ok(!eventsOf(resume).some((event) => event.event === 'failed'), 'waiting for sign-in is not a failure');
    return { askedToSignIn: outcome === 'waiting' };
  }

  it('kill -9 of the CLI right after the token endpoint answered: the next run uses the saved refresh token or asks to sign in, and the file arrives whole', async (t) => {
    const { askedToSignIn } = await killAndResume(
      t,
      12,
      async (localbox, _path, before) => localbox.stats().tokenRequests.refresh_token > before,
    );
    t.diagnostic(askedToSignIn ? 'asked to sign in again' : 'resumed with the saved refresh token');
  });

  it('kill -9 of the CLI after it saved a rotated refresh token: the next run resumes with it, no sign-in', async (t) => {
    let original: string | undefined;
    const { askedToSignIn } = await killAndResume(t, 13, async (_localbox, path) => {
      const saved = (JSON.parse(await readFile(path, 'utf8')) as { refreshToken: string }).refreshToken;
      original ??= saved;
      return saved !== original;
    });
    assert.equal(askedToSignIn, false, 'the saved refresh token was used');
  });
});
