import { MAX_ITEM_NAME_LENGTH } from '../../shared/box-limits.ts';
import { LocalboxError } from './localbox-error.ts';

/**
 * Box's name rules (box-api.md section 11.1): 1-255 characters; no non-printable ASCII, no `/` or
 * `\`, no trailing spaces, not `.` or `..`. Files and folders share them.
 */
export function checkItemName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new LocalboxError(400, 'item_name_invalid', 'Item name is missing or empty');
  }
  if (name.length > MAX_ITEM_NAME_LENGTH) {
    throw new LocalboxError(400, 'item_name_too_long', `Item name is ${name.length} characters; the limit is 255`);
  }
  // Control characters are the point of this check.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f/\\]/.test(name) || name === '.' || name === '..' || name.endsWith(' ')) {
    throw new LocalboxError(400, 'item_name_invalid', 'Item name contains invalid characters or is . or ..');
  }
  return name;
}

/** Names are unique per folder, compared case-insensitively. */
export const nameKey = (name: string): string => name.toLowerCase();
