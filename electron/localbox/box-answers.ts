import { MIN_CHUNKED_UPLOAD_BYTES } from '../../shared/box-limits.ts';

/**
 * How localbox answers where Box's documentation is silent and Box's clients show more than one
 * possible answer (box-api.md sections 4, 7, 8 and 16). Each choice can be switched, from code
 * (`startLocalbox({answers})`, `handle.setAnswers()`) or over HTTP (`POST /_localbox/answers`),
 * so tests run the client against every answer Box may give. The defaults are what localbox
 * believes Box most likely does; README.md, "localbox", says why.
 */
export interface BoxAnswers {
  /** A part whose body does not match its Digest: 412 precondition_failed or 400 bad_digest. */
  partDigestMismatch: 412 | 400;
  /**
   * A commit of a session that is already committed (a replay whose first answer was lost):
   * 201 or 200 with the file again, or an error status.
   */
  commitReplay: 200 | 201 | 400 | 404 | 409 | 410;
  /** GET status of a committed session: the session again (200), or gone (404, 410). */
  committedStatus: 200 | 404 | 410;
  /** GET list-parts of a committed session: its parts (200), or gone (404, 410). */
  committedListParts: 200 | 404 | 410;
  /** range_overlaps_existing_part carries `context_info.conflicting_part` ('full') or nothing ('none'). */
  overlapConflictingPart: 'full' | 'none';
  /**
   * The status of range_overlaps_existing_part (a part sent again whose first PUT was stored, its
   * answer lost): 416, as Box's Android app sees it, or 409, which Box's spec gives this PUT when
   * "the chunk conflicts with another chunk previously uploaded". Box's upload-part guide names
   * the code without a status.
   */
  overlapStatus: 416 | 409;
  /**
   * The smallest file_size an upload session takes; smaller ones get 400 file_size_too_small.
   * Box documents "20 MB": 20,000,000 bytes (its Android app's cut-off) or 20 MiB = 20,971,520
   * (the size its SDK tests upload) (box-api.md section 3.5).
   */
  minSessionFileBytes: 20_000_000 | 20_971_520;
  /** Commits sooner than this after the session's last part was stored get 400 parts_mismatch (rclone saw it). */
  partsSettleMs: number;
  /**
   * The most list-parts entries one page holds, whatever `limit` asked for. Box's spec: the answer's
   * `limit` is the one asked "unless that value exceeded the maximum value allowed. The maximum
   * value varies by API." 1000 is what localbox allows by default.
   */
  listPartsPageMax: number;
  /** The most folder-items entries one page holds, whatever `limit` asked (the same rule as list parts). */
  folderItemsPageMax: number;
  /**
   * The `next_marker` of a marker-paged listing's last page: `null`, `""` or left out. Box's
   * pagination guide: "If this value is `null` or an empty string there are no more results".
   */
  lastNextMarker: 'null' | 'empty' | 'absent';
}

export const DEFAULT_ANSWERS: Readonly<BoxAnswers> = {
  partDigestMismatch: 412,
  commitReplay: 201,
  committedStatus: 200,
  committedListParts: 200,
  overlapConflictingPart: 'full',
  overlapStatus: 416,
  minSessionFileBytes: MIN_CHUNKED_UPLOAD_BYTES,
  partsSettleMs: 0,
  listPartsPageMax: 1000,
  folderItemsPageMax: 1000,
  lastNextMarker: 'null',
};

const CHOICES: { [K in keyof BoxAnswers]: ReadonlyArray<BoxAnswers[K]> | 'milliseconds' | 'count' } = {
  partDigestMismatch: [412, 400],
  commitReplay: [200, 201, 400, 404, 409, 410],
  committedStatus: [200, 404, 410],
  committedListParts: [200, 404, 410],
  overlapConflictingPart: ['full', 'none'],
  overlapStatus: [416, 409],
  minSessionFileBytes: [20_000_000, 20_971_520],
  partsSettleMs: 'milliseconds',
  listPartsPageMax: 'count',
  folderItemsPageMax: 'count',
  lastNextMarker: ['null', 'empty', 'absent'],
};

/** Checks answers that arrived as JSON; returns a sentence saying what is wrong, or undefined. */
export function checkAnswers(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'answers must be a JSON object';
  for (const [key, given] of Object.entries(value)) {
    const allowed = CHOICES[key as keyof BoxAnswers] as ReadonlyArray<unknown> | 'milliseconds' | 'count' | undefined;
    if (allowed === undefined)
      return `"${key}" is not an answer localbox can change (${Object.keys(CHOICES).join(', ')})`;
    if (allowed === 'milliseconds') {
      if (!Number.isSafeInteger(given) || (given as number) < 0) return `"${key}" must be a whole number of ms`;
    } else if (allowed === 'count') {
      if (!Number.isSafeInteger(given) || (given as number) < 1 || (given as number) > 1000)
        return `"${key}" must be a whole number from 1 to 1000`;
    } else if (!allowed.includes(given)) {
      return `"${key}" must be one of ${allowed.map((each) => JSON.stringify(each)).join(', ')}`;
    }
  }
  return undefined;
}
