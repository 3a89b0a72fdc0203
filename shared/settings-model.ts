/** Settings as the renderer sees them. The token itself never leaves the main process. */
import { ROOT_DESTINATION, type Destination } from './folder-model.ts';
import type { NameConflictPolicy } from './job-model.ts';

export type TargetSetting = { kind: 'embedded' } | { kind: 'custom'; apiBaseUrl: string; uploadBaseUrl: string };

export interface SettingsView {
  target: TargetSetting;
  /** For a custom target: whether a token is stored (never the token). */
  tokenSet: boolean;
  /** "Embedded local Box" or the API host. */
  targetLabel: string;
  /** The folder on the target that dropped files and folders go into. */
  destination: Destination;
  /** Parts in flight per file, 1 to 8. */
  parallel: number;
  /** Continue unfinished uploads when the app starts (otherwise they are shown paused). */
  resumeAutomatically: boolean;
  /** For files added from now on: when the folder already has the name. */
  onNameConflict: NameConflictPolicy;
  /** An upload speed limit shared by all uploads, in bytes per second; null for none. */
  uploadLimitBytesPerSec: number | null;
}

export interface SettingsPatch {
  target?:
    | { kind: 'embedded' }
    | { kind: 'custom'; apiBaseUrl: string; uploadBaseUrl: string; token?: string | undefined }
    | undefined;
  /** A folder on the current target (checked there before it is kept). */
  destinationFolderId?: string | undefined;
  parallel?: number | undefined;
  resumeAutomatically?: boolean | undefined;
  onNameConflict?: NameConflictPolicy | undefined;
  uploadLimitBytesPerSec?: number | null | undefined;
}

export const PARALLEL_MIN = 1;
export const PARALLEL_MAX = 8;
export const PARALLEL_DEFAULT = 4;

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
};
