/**
 * Box's numeric rules that both the client and localbox enforce (../shared/box-api.md).
 */

/**
 * "Chunked upload needs >= 20 MB": Box's own apps switch to upload sessions at 20,000,000 bytes.
 * Box's exact threshold is undocumented (its SDK tests upload 20 MiB), so a session refused as
 * too small falls back to a direct upload (box-api.md section 3.5).
 */
export const MIN_CHUNKED_UPLOAD_BYTES = 20_000_000;

/** Direct (multipart) upload is documented up to 50 MB (box-api.md section 10.1). */
export const MAX_DIRECT_UPLOAD_BYTES = 50_000_000;

/** Item names are 1 to 255 characters (box-api.md section 11.1). */
export const MAX_ITEM_NAME_LENGTH = 255;

/** List parts: `limit` is at most 1000 and `offset` (an entry index) at most 10000. */
export const MAX_LIST_PARTS_LIMIT = 1000;
export const MAX_LIST_PARTS_OFFSET = 10_000;

/** Folder items: `limit` is at most 1000, default 100. */
export const MAX_FOLDER_ITEMS_LIMIT = 1000;
export const DEFAULT_FOLDER_ITEMS_LIMIT = 100;

/** Upload sessions live 7 days. */
export const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** The root folder of every Box account. */
export const ROOT_FOLDER_ID = '0';
