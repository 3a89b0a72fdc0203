import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The OAuth 2.0 state of localbox: authorization codes, access tokens and refresh tokens, with
 * Box's lifetimes (box-api.md section 0.11): codes 30 s and single use, access tokens
 * `accessTokenTtlSeconds` (Box: 60 min), refresh tokens 60 days and single use (rotated on every
 * refresh). Kept in memory only: a restart of localbox signs everyone out, as a revocation would.
 *
 *   code --(authorization_code)--> access + refresh --(refresh_token)--> access' + refresh'
 *                                    (old refresh is spent; the old access lives until it expires)
 *   client_credentials ----------> access (no refresh)
 *   revoke(access or refresh) ----> both of the pair are gone
 */

export const CODE_LIFETIME_MS = 30_000;
export const REFRESH_TOKEN_LIFETIME_MS = 60 * 24 * 60 * 60 * 1000;
/** Above this many live entries, expired ones are swept on the next issue. */
const SWEEP_THRESHOLD = 1000;

export interface AuthorizationCode {
  clientId: string;
  /** The redirect_uri given to the authorize page, if one was; an exchange that names one must repeat it. */
  redirectUri: string | undefined;
  expiresAtMs: number;
}

interface AccessTokenRecord {
  expiresAtMs: number;
  refreshToken: string | undefined;
}

interface RefreshTokenRecord {
  clientId: string;
  expiresAtMs: number;
  accessToken: string;
}

export interface IssuedTokens {
  accessToken: string;
  expiresInSeconds: number;
  refreshToken: string | undefined;
}

/** Hex, letters and digits only like Box's tokens (and never starting with "-"). */
const newSecret = (): string => randomBytes(24).toString('hex');

/** Compares two secrets in constant time (hashing first makes the lengths equal). */
export function secretsEqual(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export type GrantFailure = { kind: 'invalid_grant'; description: string };

export class OAuthTokens {
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #access = new Map<string, AccessTokenRecord>();
  readonly #refresh = new Map<string, RefreshTokenRecord>();
  readonly #nowMs: () => number;
  accessTokenTtlSeconds: number;

  constructor(options: { nowMs: () => number; accessTokenTtlSeconds: number }) {
    this.#nowMs = options.nowMs;
    this.accessTokenTtlSeconds = options.accessTokenTtlSeconds;
  }

  nowMs(): number {
    return this.#nowMs();
  }

  /** A fresh single-use code for this client and redirect_uri, valid 30 s. */
  issueCode(clientId: string, redirectUri: string | undefined): string {
    this.#sweep();
    const code = newSecret();
    this.#codes.set(code, { clientId, redirectUri, expiresAtMs: this.#nowMs() + CODE_LIFETIME_MS });
    return code;
  }

  /**
   * Spends a code: whatever the outcome, it cannot be used again (RFC 6749 section 4.1.2: a code
   * is single use). A redirect_uri, when sent, must equal the one the code was issued for.
   */
  redeemCode(code: string, clientId: string, redirectUri: string | undefined): IssuedTokens | GrantFailure {
    const record = this.#codes.get(code);
    this.#codes.delete(code);
    if (!record || record.clientId !== clientId) {
      return { kind: 'invalid_grant', description: 'The authorization code is invalid or has already been used' };
    }
    if (record.expiresAtMs <= this.#nowMs()) {
      return { kind: 'invalid_grant', description: 'The authorization code has expired' };
    }
    // Box's token request documents no redirect_uri (box-api.md section 12) and Box's own SDK sends
    // none, so it may be left out; one that is sent must be the URI the code was issued for.
    if (redirectUri !== undefined && redirectUri !== record.redirectUri) {
      return { kind: 'invalid_grant', description: 'The redirect_uri differs from the one the code was issued for' };
    }
    return this.#issue(clientId, true);
  }

  /** Rotates a refresh token: the old one is spent (Box: single use), a new pair is issued. */
  refresh(refreshToken: string, clientId: string): IssuedTokens | GrantFailure {
    const record = this.#refresh.get(refreshToken);
    if (!record || record.clientId !== clientId || record.expiresAtMs <= this.#nowMs()) {
      return { kind: 'invalid_grant', description: 'The refresh token is invalid, expired, revoked or already used' };
    }
    this.#refresh.delete(refreshToken);
    const oldAccess = this.#access.get(record.accessToken);
    if (oldAccess) oldAccess.refreshToken = undefined;
    return this.#issue(clientId, true);
  }

  /** client_credentials: an access token without a refresh token. */
  issueWithoutRefresh(clientId: string): IssuedTokens {
    return this.#issue(clientId, false);
  }

  /** True for a live access token issued by OAuth. */
  isLiveAccessToken(token: string): boolean {
    const record = this.#access.get(token);
    return record !== undefined && record.expiresAtMs > this.#nowMs();
  }

  /** Revokes an access or refresh token and the other half of its pair. Unknown tokens are ignored. */
  revoke(token: string): void {
    const access = this.#access.get(token);
    if (access) {
      this.#access.delete(token);
      if (access.refreshToken !== undefined) this.#refresh.delete(access.refreshToken);
    }
    const refresh = this.#refresh.get(token);
    if (refresh) {
      this.#refresh.delete(token);
      this.#access.delete(refresh.accessToken);
    }
  }

  /** Every OAuth code, access and refresh token; the fixed token is not ours to revoke. */
  revokeAll(): void {
    this.#codes.clear();
    this.#access.clear();
    this.#refresh.clear();
  }

  #issue(clientId: string, withRefresh: boolean): IssuedTokens {
    this.#sweep();
    const now = this.#nowMs();
    const accessToken = newSecret();
    const refreshToken = withRefresh ? newSecret() : undefined;
    this.#access.set(accessToken, { expiresAtMs: now + this.accessTokenTtlSeconds * 1000, refreshToken });
    if (refreshToken !== undefined) {
      this.#refresh.set(refreshToken, { clientId, accessToken, expiresAtMs: now + REFRESH_TOKEN_LIFETIME_MS });
    }
    return { accessToken, expiresInSeconds: this.accessTokenTtlSeconds, refreshToken };
  }

  /** Forgets expired entries once there are many, so a long-running localbox stays small. */
  #sweep(): void {
    const now = this.#nowMs();
    for (const map of [this.#codes, this.#access, this.#refresh] as Array<Map<string, { expiresAtMs: number }>>) {
      if (map.size < SWEEP_THRESHOLD) continue;
      for (const [key, record] of map) if (record.expiresAtMs <= now) map.delete(key);
    }
  }
}
