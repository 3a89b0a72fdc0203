import { randomBytes } from 'node:crypto';
import type { ItemStore } from './item-store.ts';
import type { LocalboxContext } from './localbox-context.ts';
import { OAuthTokens } from './oauth-tokens.ts';
import { DEFAULT_REDIRECT_URIS } from './redirect-uris.ts';
import { UserAccount, type LocalboxUserSettings } from './user-account.ts';

/** What LocalboxOptions adds for sign-in (OAuth 2.0), /2.0/users/me and quotas. */
export interface LocalboxOAuthOptions {
  /** The OAuth client it accepts. Absent: random hex. */
  clientId?: string;
  clientSecret?: string;
  /** The application name on the consent page. Default "Hoist". */
  clientName?: string;
  /** Life of the access tokens it issues by OAuth, in seconds. Default 3600 (Box: 60 min). */
  accessTokenTtlSeconds?: number;
  /**
   * The app's configured redirect URIs (Box's rules: a loopback one matches on any port, the rest
   * exactly). Given, they replace the default ['http://127.0.0.1/callback'].
   */
  redirectUris?: string[];
  /** Take client_id/client_secret by HTTP Basic at /oauth2/token and /oauth2/revoke too. Box takes
   * them only in the body, so by default Basic is refused with 400 invalid_client. */
  acceptBasicClientAuth?: boolean;
  /** Who GET /2.0/users/me says the user is, and its quota (default: no storage limit). */
  user?: LocalboxUserSettings;
  /** The clock of OAuth codes and tokens, ms since epoch; tests move it instead of sleeping. */
  nowMs?: () => number;
}

/** What LocalboxHandle adds for sign-in and quotas. */
export interface LocalboxOAuthHandle {
  /** The OAuth client it accepts (given or random). */
  clientId: string;
  clientSecret: string;
  /** Revokes every OAuth access and refresh token; the fixed token keeps working. */
  revokeAllTokens(): void;
  /** Changes the user that /2.0/users/me describes and the quota uploads are checked against. */
  setUser(settings: LocalboxUserSettings): void;
}

const randomHex = (): string => randomBytes(16).toString('hex');

/** The OAuth client, token state and user of a new localbox. */
export function oauthContext(
  options: LocalboxOAuthOptions,
  items: ItemStore,
  maxFileSizeBytes: number,
): Pick<LocalboxContext, 'client' | 'oauth' | 'user'> {
  return {
    client: {
      clientId: options.clientId ?? randomHex(),
      clientSecret: options.clientSecret ?? randomHex(),
      clientName: options.clientName ?? 'Hoist',
      redirectUris: [...(options.redirectUris ?? DEFAULT_REDIRECT_URIS)],
      acceptBasicClientAuth: options.acceptBasicClientAuth ?? false,
    },
    oauth: new OAuthTokens({
      nowMs: options.nowMs ?? Date.now,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    }),
    // space_used starts at what the data directory already holds unless a test says otherwise.
    user: new UserAccount(options.user ?? {}, {
      maxUploadSizeBytes: maxFileSizeBytes,
      storedBytes: items.storedBytes(),
    }),
  };
}

export function oauthHandle(context: LocalboxContext): LocalboxOAuthHandle {
  return {
    clientId: context.client.clientId,
    clientSecret: context.client.clientSecret,
    revokeAllTokens: () => context.oauth.revokeAll(),
    setUser: (settings) => context.user.set(settings),
  };
}
