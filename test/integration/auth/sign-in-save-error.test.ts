import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FileTokenStore, signInFileFor } from '../../../electron/box/oauth/file-token-store.ts';
import { storedTokenSource } from '../../../electron/cli/cli-sign-in.ts';
import { signInKey } from '../../../electron/service/credential-keys.ts';
import { createIpcHandlers } from '../../../electron/service/ipc-handlers.ts';
import { SecretTokenStore } from '../../../electron/service/secret-token-store.ts';
import { MemoryKeyValueStore, MemorySecretStore, SettingsStore } from '../../../electron/service/settings-store.ts';
import { UploadService } from '../../../electron/service/upload-service.ts';
import type { Notice } from '../../../shared/job-model.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { memoryIpc, testPlatform } from '../../helpers/memory-ipc.ts';
import { appOf, browserSignIn, storedFor } from '../../helpers/oauth-sign-in.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { until } from '../../helpers/wait-until.ts';

/** The OS keychain refusing writes (locked, full): reads still work. */
class KeychainRefusingWrites extends MemorySecretStore {
  refuseWrites = false;
  override setSecret(name: string, value: string): void {
    if (this.refuseWrites) throw new Error('the keychain refused the write');
    super.setSecret(name, value);
  }
}

describe('a rotated refresh token that cannot be saved', () => {
  it('the app says so in a notice, and keeps working this run', async (t) => {
    const localbox = await localboxFor(t);
    const server = { apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` };
    const settings = new SettingsStore(new MemoryKeyValueStore());
    settings.write({ target: { kind: 'custom', ...server } });
    const secrets = new KeychainRefusingWrites();
    // A sign-in whose access token has expired: the first request refreshes (and rotates) it.
    const signIn = { ...storedFor(localbox, await browserSignIn(localbox)), expiresAtMs: Date.now() - 1000 };
    await new SecretTokenStore(secrets, server, localbox.clientId).save(signIn);
    secrets.refuseWrites = true;
    const service = await UploadService.start({
      stateDir: await tempDir(t),
      settings,
      secrets,
      builtInBoxApp: appOf(localbox),
    });
    t.after(() => service.shutdown());
    const notices: Notice[] = [];
    service.on('notice', (notice) => notices.push(notice));
    const invoke = memoryIpc(createIpcHandlers(service, testPlatform(false)));

    await invoke('folders:list', { folderId: '0' });
    assert.equal(localbox.stats().tokenRequests.refresh_token, 1, 'the token was refreshed');
    await until(() => notices.length > 0, 'a notice was posted');
    assert.deepEqual(notices, [
      {
        level: 'warning',
        message:
          'Hoist could not save your Box sign-in: the keychain refused the write; you may need to sign in again after a restart.',
      },
    ]);
    const saved = JSON.parse(secrets.getSecret(signInKey(server)) ?? '{}') as { signIn?: { accessToken?: string } };
    assert.equal(saved.signIn?.accessToken, signIn.accessToken, 'the old sign-in is what stayed saved');
    for (const notice of notices) assert.ok(!notice.message.includes(signIn.accessToken), 'no token in the notice');
  });

  it('the CLI prints one warning line on stderr', async (t) => {
    const localbox = await localboxFor(t);
    const stateDir = await tempDir(t);
    const path = signInFileFor(stateDir, localbox.url);
    const signIn = { ...storedFor(localbox, await browserSignIn(localbox)), expiresAtMs: Date.now() - 1000 };
    await new FileTokenStore(path, { app: appOf(localbox) }).save(signIn);
    // The store writes a temporary file beside the sign-in, then renames it: a folder in its place
    // makes the write fail (as a full disk would) while the sign-in itself stays readable.
    mkdirSync(`${path}.${process.pid}.tmp`);
    const tokens = storedTokenSource(stateDir, { api: localbox.url, upload: `${localbox.url}/api` });
    assert.ok(tokens);

    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof write;
    try {
      assert.notEqual(await tokens.current(), signIn.accessToken, 'a fresh access token, for this run');
    } finally {
      process.stderr.write = write;
    }
    assert.equal(written.length, 1, written.join(''));
    assert.match(
      written[0]!,
      new RegExp(
        `^hoist: warning: could not save the sign-in for ${localbox.url.replace(/\./g, '\\.')}: .*EISDIR.*; you may need to run hoist login again\\n$`,
      ),
    );
  });
});
