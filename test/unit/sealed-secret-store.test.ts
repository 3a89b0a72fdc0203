import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Conf from 'conf';
import { developerTokenKey, signInKey } from '../../electron/service/credential-keys.ts';
import { SealedSecretStore, type Sealer } from '../../electron/service/sealed-secret-store.ts';
import type { KeyValueStore } from '../../electron/service/settings-store.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** A stand-in keychain: reversible, and never the plain text. */
const sealer = (usable = true): Sealer => ({
  usable: () => usable,
  seal: (plain) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
  unseal: (sealed) => {
    const text = sealed.toString();
    if (!text.startsWith('sealed:')) throw new Error('not ours');
    return Buffer.from(text.slice('sealed:'.length), 'hex').toString();
  },
});

const BOX = { apiBaseUrl: 'https://api.box.com', uploadBaseUrl: 'https://upload.box.com/api' };

describe('secrets sealed in the settings file (the app’s safeStorage store)', () => {
  it('keeps secrets per server under names with dots and colons, sealed on disk, across a reopen', async (t) => {
    const dir = await tempDir(t);
    const open = () => new Conf({ cwd: dir, configName: 'settings', projectName: 'hoist-test' }) as KeyValueStore;
    const secrets = new SealedSecretStore(open(), sealer());
    secrets.setSecret(developerTokenKey(BOX), 'box-token-123');
    secrets.setSecret(
      developerTokenKey({ apiBaseUrl: 'http://127.0.0.1:9', uploadBaseUrl: 'http://127.0.0.1:9/api' }),
      'local',
    );
    secrets.setSecret(signInKey(BOX), '{"refreshToken":"refresh-456"}');
    const onDisk = readFileSync(join(dir, 'settings.json'), 'utf8');
    assert.ok(!onDisk.includes('box-token-123') && !onDisk.includes('refresh-456'), 'nothing in plain text');

    const reopened = new SealedSecretStore(open(), sealer());
    assert.equal(reopened.getSecret(developerTokenKey(BOX)), 'box-token-123');
    assert.equal(reopened.getSecret(signInKey(BOX)), '{"refreshToken":"refresh-456"}');
    reopened.deleteSecret(developerTokenKey(BOX));
    assert.equal(new SealedSecretStore(open(), sealer()).getSecret(developerTokenKey(BOX)), undefined);
    assert.equal(
      new SealedSecretStore(open(), sealer()).getSecret(
        developerTokenKey({ apiBaseUrl: 'http://127.0.0.1:9', uploadBaseUrl: 'http://127.0.0.1:9/api' }),
      ),
      'local',
      'the other server keeps its own',
    );
  });

  it('without a usable keychain keeps secrets in memory only', async (t) => {
    const dir = await tempDir(t);
    const store = new Conf({ cwd: dir, configName: 'settings', projectName: 'hoist-test' }) as KeyValueStore;
    const secrets = new SealedSecretStore(store, sealer(false));
    secrets.setSecret(developerTokenKey(BOX), 'in-memory');
    assert.equal(secrets.getSecret(developerTokenKey(BOX)), 'in-memory');
    assert.equal(store.get('sealedSecrets'), undefined, 'nothing written');
    assert.equal(new SealedSecretStore(store, sealer(false)).getSecret(developerTokenKey(BOX)), undefined);
  });

  it('forgets the single token of older versions, and reads a secret it cannot unseal as none', async (t) => {
    const dir = await tempDir(t);
    const store = new Conf({ cwd: dir, configName: 'settings', projectName: 'hoist-test' }) as KeyValueStore;
    store.set('tokenSealed', 'c2VhbGVkOjAw');
    store.set('sealedSecrets', { [developerTokenKey(BOX)]: Buffer.from('from another keychain').toString('base64') });
    const secrets = new SealedSecretStore(store, sealer());
    assert.equal(store.get('tokenSealed'), undefined, 'it could belong to any server');
    assert.equal(secrets.getSecret(developerTokenKey(BOX)), undefined);
  });
});
