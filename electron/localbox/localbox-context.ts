import { LocalboxError, notFound, badRequest } from './localbox-error.ts';
import type { BoxAnswers } from './box-answers.ts';
import type { BandwidthShaper } from './connection-shaper.ts';
import type { FaultPlan } from './faults.ts';
import type { ItemStore } from './item-store.ts';
import type { LocalboxStats } from './localbox-stats.ts';
import type { PartSizeRule } from './part-size-rule.ts';
import type { OAuthTokens } from './oauth-tokens.ts';
import { secretsEqual } from './oauth-tokens.ts';
import type { SessionStore, UploadSession } from './session-store.ts';
import type { UserAccount } from './user-account.ts';

export interface ResolvedLocalboxOptions {
  latencyMs: number;
  connBandwidthBytesPerSec: number | undefined;
  totalBandwidthBytesPerSec: number | undefined;
  partSizeRule: PartSizeRule;
  sessionLifetimeMs: number;
  maxFileSizeBytes: number;
  maxDirectUploadBytes: number;
  conflictsAsArray: boolean;
  uploadRequestsPerMinute: number | undefined;
  /** Where session_endpoints point, up to /api/2.0; undefined: the host each request came in on. */
  sessionEndpointBase: string | undefined;
}

/** The one OAuth client localbox knows (Box: an app in the Developer Console). */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  /** Shown on the consent page. */
  clientName: string;
  /** The configured redirect URIs; a loopback one matches on any port (redirect-uris.ts). */
  redirectUris: string[];
  /** Take client credentials by HTTP Basic too (Box takes them only in the body). */
  acceptBasicClientAuth: boolean;
}

/** Everything a route handler needs. */
export interface LocalboxContext {
  readonly dataDir: string;
  readonly items: ItemStore;
  readonly sessions: SessionStore;
  readonly faults: FaultPlan;
  readonly stats: LocalboxStats;
  readonly options: ResolvedLocalboxOptions;
  /** The budget every connection's request bodies share (`--total-bandwidth`); absent when unlimited. */
  readonly totalShaper: BandwidthShaper | undefined;
  /** The bearer token accepted now; tests may rotate it. */
  token: string;
  readonly client: OAuthClientConfig;
  readonly oauth: OAuthTokens;
  readonly user: UserAccount;
  /** How to answer where Box's answer is not documented (box-answers.ts); tests switch them. */
  answers: BoxAnswers;
}

/** `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([\x21-\x7e]+)$/.exec(header ?? '');
  return match?.[1];
}

/** The fixed token (compared in constant time). */
export function isFixedToken(context: LocalboxContext, header: string | undefined): boolean {
  const token = bearerToken(header);
  return token !== undefined && secretsEqual(token, context.token);
}

/** API and upload routes take the fixed token (a developer token) or any live OAuth access token. */
export function isAcceptedToken(context: LocalboxContext, header: string | undefined): boolean {
  const token = bearerToken(header);
  return token !== undefined && (secretsEqual(token, context.token) || context.oauth.isLiveAccessToken(token));
}

const SESSION_ID = /^[0-9A-F]{32}$/;

/** Looks up a session a client may still use: 400 malformed id, 404 unknown or aborted, 410 expired. */
export function usableSession(context: LocalboxContext, id: string | undefined): UploadSession {
  if (id === undefined || !SESSION_ID.test(id)) {
    throw badRequest(`Upload session id "${String(id).slice(0, 40)}" is malformed`, 'invalid_upload_session_id');
  }
  const session = context.sessions.get(id);
  if (!session || session.record.state === 'aborted') throw notFound('Upload session not found');
  if (session.record.state === 'open' && session.isExpired()) {
    throw new LocalboxError(410, 'session_expired', 'The upload session has expired');
  }
  return session;
}

export function conflictInfo(context: LocalboxContext, conflict: Record<string, unknown>, asArray: boolean) {
  return { conflicts: asArray || context.options.conflictsAsArray ? [conflict] : conflict };
}
