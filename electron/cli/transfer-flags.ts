import {
  isParallelSetting,
  PARALLEL_RANGE_TEXT,
  type ParallelSetting,
  UPLOAD_LIMIT_MAX_BYTES_PER_SEC,
  UPLOAD_LIMIT_MIN_BYTES_PER_SEC,
} from '../../shared/settings-model.ts';
import { UsageError } from './usage-error.ts';

/** How `hoist upload` and `hoist resume` send: parts in flight and a speed limit. */
export const TRANSFER_OPTIONS = {
  parallel: { type: 'string' },
  'limit-rate': { type: 'string' },
} as const;

export interface TransferSettings {
  /** "auto" (the default) or a fixed number of parts in flight per file, 1 to 8. */
  parallel: ParallelSetting;
  /** Shared by every upload of the command; undefined for none. */
  uploadLimitBytesPerSec: number | undefined;
}

export function transferFlags(values: { parallel?: string | undefined; 'limit-rate'?: string | undefined }) {
  return {
    parallel: parallelFlag(values.parallel),
    uploadLimitBytesPerSec: limitRateFlag(values['limit-rate']),
  } satisfies TransferSettings;
}

function parallelFlag(value: string | undefined): ParallelSetting {
  if (value === undefined || value === 'auto') return 'auto';
  const parallel = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!isParallelSetting(parallel)) throw new UsageError(`--parallel must be ${PARALLEL_RANGE_TEXT}, not "${value}"`);
  return parallel;
}

const RATE_UNITS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9 };

/**
 * --limit-rate: bytes per second, with k, M or G for thousands, millions, billions (decimal, as
 * the progress line shows MB/s): "500k", "5M", "1.5MB/s".
 */
export function limitRateFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:b(?:\/s)?)?$/i.exec(value.trim());
  const bytesPerSecond = match ? Math.round(Number(match[1]) * RATE_UNITS[match[2]!.toLowerCase()]!) : NaN;
  if (!(bytesPerSecond >= UPLOAD_LIMIT_MIN_BYTES_PER_SEC && bytesPerSecond <= UPLOAD_LIMIT_MAX_BYTES_PER_SEC)) {
    throw new UsageError(
      `--limit-rate must be a speed from ${UPLOAD_LIMIT_MIN_BYTES_PER_SEC / 1e3} kB/s to ` +
        `${UPLOAD_LIMIT_MAX_BYTES_PER_SEC / 1e9} GB/s, such as 500k or 5M (bytes per second), not "${value}"`,
    );
  }
  return bytesPerSecond;
}
