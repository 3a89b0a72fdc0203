import type { KeyValueStore, SecretStore } from './settings-store.ts';

/** What Hoist needs of an OS keychain: Electron's safeStorage in the app. */
export interface Sealer {
  /** False where secrets would be stored as plain text (Linux without a keychain). */
  usable(): boolean;
  seal(plain: string): Buffer;
  unseal(sealed: Buffer): string;
}

/** Where the sealed secrets live in the settings store, as one object. */
const SEALED_KEY = 'sealedSecrets';

/**
 * Secrets (each server's sign-in or token, the person's own Box app), each sealed before it
 * touches disk. Where sealing is not usable they stay in memory only and are asked for again at
 * the next start.
 */
export class SealedSecretStore implements SecretStore {
  readonly #store: KeyValueStore;
  readonly #sealer: Sealer;
  readonly #memory = new Map<string, string>();

  constructor(store: KeyValueStore, sealer: Sealer) {
    this.#store = store;
    this.#sealer = sealer;
    // Before sign-in, one token was kept for whatever server was set; it cannot be told which, so
    // it is dropped rather than risk sending it to another server (a developer token lives an hour).
    store.delete('tokenSealed');
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
    if (typeof sealed !== 'string' || !this.#sealer.usable()) return undefined;
    try {
      return this.#sealer.unseal(Buffer.from(sealed, 'base64'));
    } catch {
      return undefined; // sealed by another OS account or keychain: sign in again
    }
  }

  setSecret(name: string, value: string): void {
    if (this.#sealer.usable()) {
      this.#store.set(SEALED_KEY, { ...this.#sealed(), [name]: this.#sealer.seal(value).toString('base64') });
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
