import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { RotatingLog } from '../../../electron/service/rotating-log.ts';
import type { LocalboxHandle } from '../../../electron/localbox/localbox.ts';
import { developerTokenKey, signInKey } from '../../../electron/service/credential-keys.ts';
import { createIpcHandlers } from '../../../electron/service/ipc-handlers.ts';
import {
  memoryStoresFor,
  MemoryKeyValueStore,
  MemorySecretStore,
  SettingsStore,
} from '../../../electron/service/settings-store.ts';
import { UploadService } from '../../../electron/service/upload-service.ts';
import type { SettingsView } from '../../../shared/settings-model.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { dropAndAdd, memoryIpc, testPlatform } from '../../helpers/memory-ipc.ts';
import { captureServer } from '../../helpers/capture-server.ts';
import { actInBrowser } from '../../helpers/oauth-sign-in.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

async function appFor(t: TestContext, localbox: LocalboxHandle, options: { signedInWithToken?: boolean } = {}) {
  const stores =
    options.signedInWithToken === false
      ? { settings: new SettingsStore(new MemoryKeyValueStore()), secrets: new MemorySecretStore() }
      : memoryStoresFor(localbox);
  const opened: string[] = [];
  /** The servers main asked the person about before uploads moved there. */
  const serverChangeQuestions: Array<{ apiBaseUrl: string; uploadBaseUrl: string }> = [];
  const logger = new RotatingLog(join(await tempDir(t), 'logs'));
  const service = await UploadService.start({
    stateDir: await tempDir(t),
    ...stores,
    logger,
    builtInBoxApp: { clientId: localbox.clientId, clientSecret: localbox.clientSecret },
    openInBrowser: (url) => void opened.push(url),
  });
  t.after(() => service.shutdown());
  const invoke = memoryIpc(
    createIpcHandlers(
      service,
      testPlatform(true, {
        confirmServerChange: async (target) => {
          serverChangeQuestions.push(target);
          return true;
        },
      }),
    ),
  );
  const log = () => readFileSync(join(logger.dir, 'hoist.log'), 'utf8');
  return { service, invoke, opened, secrets: stores.secrets, log, serverChangeQuestions };
}

/** What the person's browser does with the URL main opened: consent, Grant, back to Hoist's listener. */
const grantInBrowser = async (authorizeUrl: string): Promise<string> => (await actInBrowser(authorizeUrl)).text;

const serverAt = (url: string, uploadUrl = `${url}/api`) => ({ apiBaseUrl: url, uploadBaseUrl: uploadUrl });
const customTarget = (url: string, uploadUrl?: string) => ({ kind: 'custom' as const, ...serverAt(url, uploadUrl) });

describe('signing in from the app (service over the in-memory IPC bridge)', () => {
  it('a capture server on another origin never receives a token after a server change in Settings', async (t) => {
    const localbox = await localboxFor(t);
    const capture = await captureServer(t);
    const { service, invoke } = await appFor(t, localbox);
    const views: SettingsView[] = [];
    service.on('settings', (view) => views.push(view));

    const noCredential = `Sign in with Box or enter an access token for ${new URL(capture.url).host}.`;
    await assert.rejects(invoke('settings:update', { target: customTarget(capture.url) }), { message: noCredential });
    // The same API server with uploads pointed elsewhere is another server too.
    await assert.rejects(invoke('settings:update', { target: customTarget(localbox.url, `${capture.url}/api`) }), {
      message: `Sign in with Box or enter an access token for ${new URL(localbox.url).host}.`,
    });
    assert.equal(service.getSettings().target.kind, 'custom');
    assert.equal((service.getSettings().target as { apiBaseUrl: string }).apiBaseUrl, localbox.url);

    // With a token of its own the capture server becomes the target, and gets only that token.
    await invoke('settings:update', { target: { ...customTarget(capture.url), token: 'capture-token' } });
    const file = await writePatternFile(await tempDir(t), 'probe.txt', 1000, 901);
    await dropAndAdd(invoke, [file.path]);
    await until(() => capture.requests.length > 0, 'the capture server was asked');
    const jobId = service.listJobs().jobs[0]!.id;
    await until(() => service.listJobs().jobs[0]?.state === 'failed', 'the capture server refused the upload');
    await invoke('job:remove', { jobId });

    // Back to the first server: its own token was kept for it, and uploads go on there.
    const back = (await invoke('settings:update', { target: customTarget(localbox.url) })) as SettingsView;
    assert.deepEqual([back.credential, back.tokenSet], ['developer-token', true]);
    await dropAndAdd(invoke, [file.path]);
    await until(() => service.listJobs().jobs[0]?.state === 'done', 'uploaded to the first server');

    const sent = capture.requests.map((request) => request.headers.authorization ?? '(none)');
    assert.ok(sent.length > 0);
    assert.deepEqual([...new Set(sent)], ['Bearer capture-token'], 'only its own token, never the first server’s');
    for (const view of views) {
      const shown = JSON.stringify(view);
      assert.ok(!shown.includes(localbox.token) && !shown.includes('capture-token'), 'no token in any view');
    }
  });

  it('signs in through the system browser, shows the account, uploads, and sign-out revokes both tokens', async (t) => {
    const localbox = await localboxFor(t, { user: { name: 'Ada Lovelace', login: 'ada@example.com' } });
    const { service, invoke, opened, secrets, log, serverChangeQuestions } = await appFor(t, localbox, {
      signedInWithToken: false,
    });
    let broughtToFront = 0;
    service.on('signed-in', () => broughtToFront++);
    assert.equal(service.getSettings().target.kind, 'embedded');

    const signedIn = invoke('account:sign-in', serverAt(localbox.url)) as Promise<SettingsView>;
    signedIn.catch(() => undefined); // awaited below, after the browser's part
    await until(() => opened.length === 1, 'main was asked to open the browser');
    assert.deepEqual(serverChangeQuestions, [serverAt(localbox.url)], 'the person confirmed the new server first');
    const authorize = new URL(opened[0]!);
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${localbox.url}/api/oauth2/authorize`);
    assert.match(authorize.searchParams.get('state') ?? '', /.{16,}/, 'a fresh random state');
    assert.match(authorize.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\//);
    const answer = await grantInBrowser(opened[0]!);
    assert.match(answer, /Signed in\. You can close this tab and return to Hoist\./);
    assert.doesNotMatch(answer, /<script/i);

    const view = await signedIn;
    assert.equal(broughtToFront, 1);
    assert.deepEqual([view.target.kind, view.credential], ['custom', 'sign-in']);
    await until(() => service.getSettings().account !== undefined, 'the account is known');
    const { account } = service.getSettings();
    assert.deepEqual([account?.name, account?.login], ['Ada Lovelace', 'ada@example.com']);

    const sealed = JSON.parse(secrets.getSecret(signInKey(serverAt(localbox.url)))!) as {
      signIn: { accessToken: string; refreshToken: string };
    };
    const { accessToken, refreshToken } = sealed.signIn;
    assert.ok(!JSON.stringify(service.getSettings()).includes(accessToken), 'the renderer never sees a token');
    assert.ok(!JSON.stringify(service.getSettings()).includes(refreshToken));

    const file = await writePatternFile(await tempDir(t), 'signed-in.txt', 5000, 902);
    await dropAndAdd(invoke, [file.path]);
    await until(() => service.listJobs().jobs[0]?.state === 'done', 'uploaded with the sign-in');

    const out = (await invoke('account:sign-out')) as SettingsView;
    assert.deepEqual([out.credential, out.account], ['none', undefined]);
    assert.equal(secrets.getSecret(signInKey(serverAt(localbox.url))), undefined, 'deleted');
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0', { token: accessToken })).status, 401, 'revoked');
    const refreshed = await fetch(`${localbox.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: localbox.clientId,
        client_secret: localbox.clientSecret,
      }).toString(),
    });
    assert.equal(refreshed.status, 400, 'the refresh token is revoked too');
    const logged = log();
    assert.match(logged, /signed in .*127\.0\.0\.1/);
    for (const secret of [accessToken, refreshToken, localbox.clientSecret])
      assert.ok(!logged.includes(secret), 'no token or secret in the log');
  });

  it('stays signed in across a restart, per server: the embedded one and back need no new sign-in', async (t) => {
    const localbox = await localboxFor(t, { user: { name: 'Grace Hopper', login: 'grace@example.com' } });
    const stateDir = await tempDir(t);
    const settings = new SettingsStore(new MemoryKeyValueStore());
    const secrets = new MemorySecretStore();
    const opened: string[] = [];
    const options = {
      stateDir,
      settings,
      secrets,
      builtInBoxApp: { clientId: localbox.clientId, clientSecret: localbox.clientSecret },
      openInBrowser: (url: string) => void opened.push(url),
    };
    const first = await UploadService.start(options);
    const signedIn = first.accounts.signIn(serverAt(localbox.url));
    await until(() => opened.length === 1, 'the browser was asked for');
    await grantInBrowser(opened[0]!);
    await signedIn;
    await first.updateSettings({ target: { kind: 'embedded' } });
    assert.equal(first.getSettings().credential, 'none', 'the embedded server has no sign-in');
    await first.shutdown();

    const second = await UploadService.start(options);
    t.after(() => second.shutdown());
    const back = await second.updateSettings({ target: customTarget(localbox.url) });
    assert.equal(back.credential, 'sign-in', 'the sign-in was kept for its server');
    await until(() => second.getSettings().account?.login === 'grace@example.com', 'the account is known again');
    const file = await writePatternFile(await tempDir(t), 'after-restart.txt', 3000, 903);
    await second.addFiles([file.path]);
    await until(() => second.listJobs().jobs[0]?.state === 'done', 'uploaded with the kept sign-in');
    assert.equal(opened.length, 1, 'no second browser sign-in');
    assert.equal(localbox.stats().tokenRequests.authorization_code, 1);
  });

  it('a sign-in replaces a pasted token for the same server, and a pasted token replaces a sign-in', async (t) => {
    const localbox = await localboxFor(t);
    const { service, invoke, opened, secrets } = await appFor(t, localbox);
    const server = serverAt(localbox.url);
    assert.equal(service.getSettings().credential, 'developer-token');
    const signedIn = invoke('account:sign-in', server) as Promise<SettingsView>;
    await until(() => opened.length === 1, 'the browser was asked for');
    await grantInBrowser(opened[0]!);
    assert.equal((await signedIn).credential, 'sign-in');
    assert.equal(secrets.getSecret(developerTokenKey(server)), undefined, 'the pasted token is forgotten');
    const { accessToken } = (JSON.parse(secrets.getSecret(signInKey(server))!) as { signIn: { accessToken: string } })
      .signIn;

    const pasted = (await invoke('settings:update', {
      target: { ...customTarget(localbox.url), token: localbox.token },
    })) as SettingsView;
    assert.equal(pasted.credential, 'developer-token');
    assert.equal(secrets.getSecret(signInKey(server)), undefined, 'the sign-in is forgotten');
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0', { token: accessToken })).status, 401, 'and revoked');
  });

  it('says what is missing without a Box app, and takes the person’s own (its secret stays in main)', async (t) => {
    const localbox = await localboxFor(t);
    const service = await UploadService.start({ stateDir: await tempDir(t), ...memoryStoresFor(localbox) });
    t.after(() => service.shutdown());
    const invoke = memoryIpc(
      createIpcHandlers(
        service,
        testPlatform(true, { confirmBoxAppChange: async () => (appQuestions++, appAnswers.shift() ?? false) }),
      ),
    );
    let appQuestions = 0;
    const appAnswers: boolean[] = [];
    const before = service.getSettings().signIn;
    assert.equal(before.ready, false);
    assert.match(
      before.ready ? '' : before.missing,
      /^Sign-in needs a Box app, and this copy of Hoist was built without one/,
    );
    await assert.rejects(invoke('account:sign-in', serverAt(localbox.url)), /^Error: Sign-in needs a Box app/);
    await assert.rejects(
      invoke('account:set-app', { app: { clientId: ' ', clientSecret: 'x' } }),
      /at "app\.clientId"/,
    );

    const own = (await invoke('account:set-app', {
      app: { clientId: 'my-client', clientSecret: 'my-secret' },
    })) as SettingsView;
    assert.deepEqual([own.signIn, own.ownAppClientId], [{ ready: true, app: 'own' }, 'my-client']);
    // Any server other than Box (localbox here) is not offered the person's own Box app.
    assert.match(
      own.signInElsewhere.ready ? '' : own.signInElsewhere.missing,
      /^Your own Box app is used only to sign in to Box \(api\.box\.com\), so its secret is never sent to another server/,
    );
    assert.ok(!JSON.stringify(own).includes('my-secret'));
    assert.equal(appQuestions, 0, 'the first own app needs no question');
    await assert.rejects(
      invoke('account:set-app', { app: { clientId: 'other-client', clientSecret: 'other-secret' } }),
      /^Error: Hoist keeps your own Box app \(my-client\): the new one was not confirmed\.$/,
    );
    assert.equal(appQuestions, 1, 'another app in place of the person’s own: asked');
    assert.equal(service.getSettings().ownAppClientId, 'my-client', 'declined: the person’s app stays');
    await invoke('account:set-app', { app: { clientId: 'my-client', clientSecret: 'my-secret' } });
    assert.equal(appQuestions, 1, 'the same app again: nothing to ask');
    appAnswers.push(true);
    await invoke('account:set-app', { app: { clientId: 'other-client', clientSecret: 'other-secret' } });
    assert.deepEqual([appQuestions, service.getSettings().ownAppClientId], [2, 'other-client']);
    const cleared = (await invoke('account:set-app', { app: null })) as SettingsView;
    assert.deepEqual([cleared.signIn.ready, cleared.ownAppClientId], [false, undefined]);
  });
});
