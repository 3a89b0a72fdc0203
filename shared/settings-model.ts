/** Settings as the renderer sees them. The token itself never leaves the main process. */
import { isBoxApiUrl } from './box-urls.ts';
import { ROOT_DESTINATION, type Destination } from './folder-model.ts';
import type { NameConflictPolicy } from './job-model.ts';
import { DEFAULT_SHARED_LINK_ACCESS, type SharedLinkAccess } from './share-model.ts';

export type TargetSetting = { kind: 'embedded' } | { kind: 'custom'; apiBaseUrl: string; uploadBaseUrl: string };

/**
 * Whether two targets are the same server: the embedded localbox is one (its port moves each
 * run), a custom server is its API base and upload base. The one place targets are compared
 * (settings, the journal's records, a sign-in's server, the form's saved server).
 */
export function sameServer(
  a: { kind: 'embedded' } | { kind: 'custom'; apiBaseUrl: string; uploadBaseUrl: string },
  b: { kind: 'embedded' } | { kind: 'custom'; apiBaseUrl: string; uploadBaseUrl: string },
): boolean {
  return a.kind === 'embedded'
    ? b.kind === 'embedded'
    : b.kind === 'custom' && a.apiBaseUrl === b.apiBaseUrl && a.uploadBaseUrl === b.uploadBaseUrl;
}

/**
 * The Box account Hoist uploads to, as the renderer may see it: who and how much space. Tokens,
 * refresh tokens and the Box app's secret never leave the main process.
 */
export interface AccountView {
  login: string;
  name: string;
  /** As the server reported them; a server that does not say leaves them out. */
  spaceUsedBytes: number | undefined;
  spaceAmountBytes: number | undefined;
}

/**
 * How Hoist holds the current server's credentials: a sign-in (OAuth 2.0, refreshed by itself),
 * a pasted developer token, or nothing yet. Credentials belong to one server (its API and upload
 * origins): another server never gets them.
 */
export type CredentialKind = 'sign-in' | 'developer-token' | 'none';

/**
 * Whether "Sign in with Box" can work: it needs a Box app (client ID and secret), built into
 * Hoist by whoever distributes it, or the person's own ("Use your own Box app").
 */
export type SignInAvailability =
  | { ready: true; app: 'built-in' | 'own' }
  | {
      ready: false;
      /** What is missing, in one sentence, shown instead of a button that would fail later. */
      missing: string;
    };

export interface SettingsView {
  target: TargetSetting;
  /** For a custom target: whether a credential (sign-in or developer token) is stored (never the token). */
  tokenSet: boolean;
  /** For a custom target: what kind of credential is stored for it. */
  credential: CredentialKind;
  /** The account on the current server, once the server has said who it is. */
  account: AccountView | undefined;
  /** Whether a sign-in to Box can start, and with which app. */
  signIn: SignInAvailability;
  /** Whether a sign-in to any other server can start: the person's own Box app goes to Box only. */
  signInElsewhere: SignInAvailability;
  /** The person's own Box app, when one was entered: its client ID (the secret stays in main). */
  ownAppClientId: string | undefined;
  /** "Embedded local Box" or the API host. */
  targetLabel: string;
  /** The folder on the target that dropped files and folders go into. */
  destination: Destination;
  /** Parts in flight per file: "auto" (adapts within Box's 3 to 5) or a fixed 1 to 8. */
  parallel: ParallelSetting;
  /** Continue unfinished uploads when the app starts (otherwise they are shown paused). */
  resumeAutomatically: boolean;
  /** For files added from now on: when the folder already has the name. */
  onNameConflict: NameConflictPolicy;
  /** An upload speed limit shared by all uploads, in bytes per second; null for none. */
  uploadLimitBytesPerSec: number | null;
  /** Who "Copy shared link" lets in (share-model.ts says why the default is company). */
  sharedLinkAccess: SharedLinkAccess;
}

export interface SettingsPatch {
  target?:
    | { kind: 'embedded' }
    | { kind: 'custom'; apiBaseUrl: string; uploadBaseUrl: string; token?: string | undefined }
    | undefined;
  /** A folder on the current target (checked there before it is kept). */
  destinationFolderId?: string | undefined;
  parallel?: ParallelSetting | undefined;
  resumeAutomatically?: boolean | undefined;
  onNameConflict?: NameConflictPolicy | undefined;
  uploadLimitBytesPerSec?: number | null | undefined;
  sharedLinkAccess?: SharedLinkAccess | undefined;
}

/**
 * Parts in flight per file. "auto" starts at Box's recommended upper bound and adapts within its
 * 3 to 5 (fewer on 429s, 5xx and dropped connections, more while that makes a round faster); a
 * number fixes it. Settings and journals from before "auto" hold numbers, which stay valid.
 */
export type ParallelSetting = 'auto' | number;
export const PARALLEL_MIN = 1;
export const PARALLEL_MAX = 8;
export const PARALLEL_DEFAULT: ParallelSetting = 'auto';

/** How a wrong parts-in-parallel value is told, by the app and the CLI alike. */
export const PARALLEL_RANGE_TEXT = `auto or a whole number from ${PARALLEL_MIN} to ${PARALLEL_MAX}`;

export const isParallelSetting = (value: unknown): value is ParallelSetting =>
  value === 'auto' ||
  (Number.isInteger(value) && (value as number) >= PARALLEL_MIN && (value as number) <= PARALLEL_MAX);

/** The range of an upload speed limit: 10 kB/s (a trickle) to 10 GB/s (faster than any link). */
export const UPLOAD_LIMIT_MIN_BYTES_PER_SEC = 10_000;
export const UPLOAD_LIMIT_MAX_BYTES_PER_SEC = 10_000_000_000;

export const isUploadLimit = (value: unknown): value is number =>
  Number.isSafeInteger(value) &&
  (value as number) >= UPLOAD_LIMIT_MIN_BYTES_PER_SEC &&
  (value as number) <= UPLOAD_LIMIT_MAX_BYTES_PER_SEC;

export const DEFAULT_SETTINGS = {
  target: { kind: 'embedded' } as TargetSetting,
  destination: ROOT_DESTINATION,
  parallel: PARALLEL_DEFAULT,
  resumeAutomatically: true,
  onNameConflict: 'ask' as NameConflictPolicy,
  uploadLimitBytesPerSec: null as number | null,
  sharedLinkAccess: DEFAULT_SHARED_LINK_ACCESS,
};

/**
 * Whether a sign-in to this server can start: Box's availability for Box, the other one for any
 * other server (the person's own Box app goes to Box only). Without a server: the current target.
 */
export function signInAvailabilityFor(settings: SettingsView, apiBaseUrl?: string): SignInAvailability {
  const api = apiBaseUrl ?? (settings.target.kind === 'custom' ? settings.target.apiBaseUrl : undefined);
  return api === undefined || isBoxApiUrl(api) ? settings.signIn : settings.signInElsewhere;
}
