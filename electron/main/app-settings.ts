import { safeStorage } from 'electron';
import ElectronStore from 'electron-store';
import type { KeyValueStore, SecretStore } from '../service/settings-store.ts';

/** Settings through electron-store (conf with Electron's paths) in userData/settings.json. */
export function openSettingsStore(): KeyValueStore & ElectronStore {
  return new ElectronStore({ name: 'settings', clearInvalidConfig: true });
}

/**
 * Secrets (each server's sign-in or token, the person's own Box app), each encrypted with
 * safeStorage (the OS keychain) before it touches disk. Where there is no real keychain (Linux
 * without one falls back to plain text) they stay in memory only and are asked for again at the
 * next start.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly #store: KeyValueStore;
  readonly #memory = new Map<string, string>();

  constructor(store: KeyValueStore) {
    this.#store = store;
    // Before sign-in, one token was kept for whatever server was set; it cannot be told which, so
    // it is dropped rather than risk sending it to another server (a developer token lives an hour).
    store.delete('tokenSealed');
  }

  static encryptionUsable(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  }

  /** All sealed secrets as one object: names hold dots (URLs), which electron-store reads as paths. */
  #sealed(): Record<string, string> {
    const sealed = this.#store.get(SEALED_KEY);
    return sealed && typeof sealed === 'object' ? { ...(sealed as Record<string, string>) } : {};
  }

  getSecret(name: string): string | undefined {
    const remembered = this.#memory.get(name);
    if (remembered !== undefined) return remembered;
    const sealed = this.#sealed()[name];
    if (typeof sealed !== 'string' || !SafeStorageSecretStore.encryptionUsable()) return undefined;
    try {
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      return undefined;
    }
  }

  setSecret(name: string, value: string): void {
    if (SafeStorageSecretStore.encryptionUsable()) {
      this.#store.set(SEALED_KEY, {
        ...this.#sealed(),
        [name]: safeStorage.encryptString(value).toString('base64'),
      });
      this.#memory.delete(name);
    } else {
      this.#memory.set(name, value);
    }
  }

  deleteSecret(name: string): void {
    this.#memory.delete(name);
    const sealed = this.#sealed();
    if (!(name in sealed)) return;
    delete sealed[name];
    this.#store.set(SEALED_KEY, sealed);
  }
}

const SEALED_KEY = 'sealedSecrets';
