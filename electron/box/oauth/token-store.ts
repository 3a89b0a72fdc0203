/** One account's sign-in on one server: what is kept between runs. */
export interface StoredSignIn {
  accessToken: string;
  refreshToken: string | undefined;
  expiresAtMs: number;
  /** The servers the tokens were issued for; they are sent nowhere else (DESIGN.md section 8). */
  apiOrigin: string;
  uploadOrigin: string;
  login?: string;
  name?: string;
  /** When the access token was issued: its lifetime sets how early it is refreshed. */
  issuedAtMs?: number;
}

export interface TokenStore {
  load(): StoredSignIn | undefined;
  /** Durable before it resolves (atomic replace + fsync, or the OS keychain). */
  save(signIn: StoredSignIn): Promise<void>;
  clear(): Promise<void>;
}

/** A store that keeps nothing past the process (tests; an OS without a keychain). */
export class MemoryTokenStore implements TokenStore {
  #signIn: StoredSignIn | undefined;
  constructor(signIn?: StoredSignIn) {
    this.#signIn = signIn;
  }
  load(): StoredSignIn | undefined {
    return this.#signIn ? { ...this.#signIn } : undefined;
  }
  async save(signIn: StoredSignIn): Promise<void> {
    this.#signIn = { ...signIn };
  }
  async clear(): Promise<void> {
    this.#signIn = undefined;
  }
}

/** The origin (scheme, host, port) of a URL, as tokens are bound to it. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
