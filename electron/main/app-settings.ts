import { safeStorage } from 'electron';
import ElectronStore from 'electron-store';
import type { KeyValueStore, SecretStore } from '../service/settings-store.ts';

/** Settings through electron-store (conf with Electron's paths) in userData/settings.json. */
export function openSettingsStore(): KeyValueStore & ElectronStore {
  return new ElectronStore({ name: 'settings', clearInvalidConfig: true });
}

/**
 * The token, encrypted with safeStorage (the OS keychain) before it touches disk. Where there is
 * no real keychain (Linux without one falls back to plain text), it stays in memory only and is
 * asked for again at the next start.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly #store: KeyValueStore;
  #memory: string | undefined;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  static encryptionUsable(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  }

  getToken(): string | undefined {
    if (this.#memory) return this.#memory;
    const sealed = this.#store.get('tokenSealed');
    if (typeof sealed !== 'string' || !SafeStorageSecretStore.encryptionUsable()) return undefined;
    try {
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      return undefined;
    }
  }

  setToken(token: string): void {
    if (SafeStorageSecretStore.encryptionUsable()) {
      this.#store.set('tokenSealed', safeStorage.encryptString(token).toString('base64'));
      this.#memory = undefined;
    } else {
      this.#memory = token;
    }
  }

  clearToken(): void {
    this.#memory = undefined;
    this.#store.delete('tokenSealed');
  }
}
