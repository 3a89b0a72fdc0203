import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { OWN_BOX_APP_KEY } from '../../../electron/service/credential-keys.ts';
import { createIpcHandlers } from '../../../electron/service/ipc-handlers.ts';
import { SecretTokenStore } from '../../../electron/service/secret-token-store.ts';
import { MemoryKeyValueStore, MemorySecretStore, SettingsStore } from '../../../electron/service/settings-store.ts';
import { UploadService } from '../../../electron/service/upload-service.ts';
import type { OAuthApp } from '../../../electron/box/oauth/oauth-client.ts';
import type { SettingsView } from '../../../shared/settings-model.ts';
import { memoryIpc, testPlatform } from '../../helpers/memory-ipc.ts';
import { recordingServer, returnWithCode } from '../../helpers/recording-server.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { until } from '../../helpers/wait-until.ts';

/** The Box app a person entered under "Use your own Box app": its secret is Box's to receive. */
const OWN_APP: OAuthApp = { clientId: 'my-client', clientSecret: 'my-secret' };
const BUILT_IN: OAuthApp = { clientId: 'built-in-client', clientSecret: 'built-in-secret' };

/** The app, its target a custom server (not Box), with the person's own Box app saved. */
async function appOn(
  t: TestContext,
  url: string,
  builtInBoxApp: OAuthApp | undefined,
  secrets = new MemorySecretStore(),
) {
  const server = { apiBaseUrl: url, uploadBaseUrl: `${url}/api` };
  const settings = new SettingsStore(new MemoryKeyValueStore());
  settings.write({ target: { kind: 'custom', ...server } });
  secrets.setSecret(OWN_BOX_APP_KEY, JSON.stringify(OWN_APP));
  const opened: string[] = [];
  const service = await UploadService.start({
    stateDir: await tempDir(t),
    settings,
    secrets,
    builtInBoxApp,
    openInBrowser: (authorizeUrl) => void opened.push(authorizeUrl),
  });
  t.after(() => service.shutdown());
  const invoke = memoryIpc(createIpcHandlers(service, testPlatform(true)));
  return { server, service, invoke, opened };
}

describe('the person’s own Box app is sent to Box only', () => {
  it('a sign-in to another server uses the built-in app: that server never sees the person’s secret', async (t) => {
    const custom = await recordingServer(t);
    const { server, invoke, opened } = await appOn(t, custom.url, BUILT_IN);
    // Its refusal is awaited below, after the browser's part: caught now so it is never unhandled.
    const signIn = (invoke('account:sign-in', server) as Promise<SettingsView>).then(
      () => assert.fail('signed in without tokens'),
      (error: Error) => error,
    );
    await until(() => opened.length === 1, 'the browser was asked for');
    // A server that hands a code to any client: Hoist then asks its /oauth2/token for tokens.
    await returnWithCode(opened[0]!);
    assert.match((await signIn).message, /did not finish/, 'the server answers 404: no tokens');
    assert.deepEqual(custom.carrying(OWN_APP.clientSecret), [], 'no request carries the person’s secret');
    const tokenRequests = custom.requests.filter((request) => request.url === '/oauth2/token');
    assert.equal(tokenRequests.length, 1, 'the code was exchanged at that server');
    assert.equal(new URLSearchParams(tokenRequests[0]!.body).get('client_id'), BUILT_IN.clientId);
    assert.equal(new URL(opened[0]!).searchParams.get('client_id'), BUILT_IN.clientId);
  });

  it('without a built-in app, a sign-in to another server is refused before anything is sent, and says why', async (t) => {
    const custom = await recordingServer(t);
    const { server, invoke, opened } = await appOn(t, custom.url, undefined);
    const host = new URL(custom.url).host;
    await assert.rejects(
      invoke('account:sign-in', server),
      new RegExp(
        `^Error: Your own Box app is used only to sign in to Box \\(api\\.box\\.com\\), so its secret is never sent to ${host.replace(/\./g, '\\.')}`,
      ),
    );
    assert.deepEqual([opened, custom.requests], [[], []]);
  });

  it('a sign-in another server got with the person’s own app is not refreshed with its secret', async (t) => {
    const custom = await recordingServer(t);
    const server = { apiBaseUrl: custom.url, uploadBaseUrl: `${custom.url}/api` };
    const secrets = new MemorySecretStore();
    // Kept before the own app was for Box only: an expired access token, so the next call would refresh.
    await new SecretTokenStore(secrets, server, OWN_APP.clientId).save({
      accessToken: 'old-access',
      refreshToken: 'old-refresh',
      expiresAtMs: Date.now() - 1000,
      issuedAtMs: Date.now() - 3_600_000,
      apiOrigin: custom.url,
      uploadOrigin: custom.url,
    });
    const { service, invoke } = await appOn(t, custom.url, BUILT_IN, secrets);
    assert.equal(service.getSettings().credential, 'none', 'the sign-in cannot be used with another app');
    await assert.rejects(invoke('folders:list', { folderId: '0' }));
    assert.deepEqual(custom.carrying(OWN_APP.clientSecret), [], 'no refresh sent the person’s secret');
    assert.deepEqual(custom.carrying('old-refresh'), [], 'nor the refresh token');
  });
});
