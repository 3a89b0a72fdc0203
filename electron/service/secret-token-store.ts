import type { StoredSignIn, TokenStore } from '../box/oauth/token-store.ts';
import { signInKey, type ServerUrls } from './credential-keys.ts';
import { readSecretJson, type SecretStore } from './settings-store.ts';

/** What is sealed per server: the sign-in, and which Box app made it (its refresh token works only there). */
interface SealedSignIn {
  clientId: string;
  signIn: StoredSignIn;
}

const isSealedSignIn = (value: unknown): value is SealedSignIn => {
  const sealed = value as Partial<SealedSignIn> | undefined;
  const signIn = sealed?.signIn as Partial<StoredSignIn> | undefined;
  return (
    typeof sealed?.clientId === 'string' &&
    typeof signIn?.accessToken === 'string' &&
    typeof signIn.expiresAtMs === 'number' &&
    typeof signIn.apiOrigin === 'string' &&
    typeof signIn.uploadOrigin === 'string' &&
    (signIn.refreshToken === undefined || typeof signIn.refreshToken === 'string')
  );
};

/** Reads a server's sealed sign-in, or undefined (none, or unreadable: then a new sign-in is asked for). */
export function readSealedSignIn(secrets: SecretStore, server: ServerUrls): SealedSignIn | undefined {
  return readSecretJson(secrets, signInKey(server), isSealedSignIn);
}

/**
 * The app's TokenStore: one server's sign-in in the SecretStore (sealed with safeStorage, written
 * by electron-store with an atomic replace and fsync, so a rotated refresh token is on disk before
 * it is used). Where the OS has no keychain it lives in memory and sign-in is asked for at the next
 * start.
 */
export class SecretTokenStore implements TokenStore {
  readonly #secrets: SecretStore;
  readonly #server: ServerUrls;
  readonly #clientId: string;

  constructor(secrets: SecretStore, server: ServerUrls, clientId: string) {
    this.#secrets = secrets;
    this.#server = server;
    this.#clientId = clientId;
  }

  load(): StoredSignIn | undefined {
    const sealed = readSealedSignIn(this.#secrets, this.#server);
    return sealed?.clientId === this.#clientId ? sealed.signIn : undefined;
  }

  async save(signIn: StoredSignIn): Promise<void> {
    const sealed: SealedSignIn = { clientId: this.#clientId, signIn };
    this.#secrets.setSecret(signInKey(this.#server), JSON.stringify(sealed));
  }

  async clear(): Promise<void> {
    this.#secrets.deleteSecret(signInKey(this.#server));
  }
}
