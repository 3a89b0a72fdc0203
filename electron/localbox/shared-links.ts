import { randomInt } from 'node:crypto';
import { extname } from 'node:path';
import type { FileRecord } from './item-store.ts';
import { LocalboxError } from './localbox-error.ts';
import { isSharedLinkAccess, type SharedLinkAccess } from '../../shared/share-model.ts';

/**
 * Shared links as Box makes them: `PUT /2.0/files/{id}?fields=shared_link` with a `shared_link`
 * object (Box's spec, "Add shared link to file"), `{"shared_link": null}` removes it. Access is
 * `open` (anyone with the link), `company` or `collaborators`; the link keeps its URL when its
 * access changes, as Box's does.
 */

export interface SharedLinkRecord {
  /** The random part of the URL (`/s/{token}`), like Box's 32 lowercase letters and digits. */
  token: string;
  access: SharedLinkAccess;
  canDownload: boolean;
  canEdit: boolean;
  createdAt: string;
  downloadCount: number;
  previewCount: number;
}

/**
 * Box's access level when a request names none is "the default access level specified by the
 * enterprise admin"; for an account without an admin (localbox's one user) that is `open`.
 */
const DEFAULT_ACCESS: SharedLinkAccess = 'open';

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function newToken(): string {
  let token = '';
  for (let index = 0; index < 32; index++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return token;
}

/** Box's answer to a bad parameter: 400 bad_request naming it in `context_info.errors`. */
function invalidParameter(name: string, message: string): LocalboxError {
  return new LocalboxError(400, 'bad_request', 'Bad Request', {
    contextInfo: { errors: [{ reason: 'invalid_parameter', name, message }] },
  });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The link a request asks for, or null when it asks to remove the link; `undefined` when the body
 * says nothing about shared links (Box then changes nothing about them).
 */
export function sharedLinkFromRequest(
  body: unknown,
  existing: SharedLinkRecord | null | undefined,
): SharedLinkRecord | null | undefined {
  if (!isObject(body)) throw invalidParameter('entity_body', 'The request body must be a JSON object');
  if (!('shared_link' in body)) return undefined;
  const asked = body['shared_link'];
  if (asked === null) return null;
  if (!isObject(asked)) throw invalidParameter('shared_link', 'shared_link must be an object or null');
  const accessValue = asked['access'] ?? existing?.access ?? DEFAULT_ACCESS;
  if (!isSharedLinkAccess(accessValue)) {
    throw invalidParameter(
      'access',
      `Invalid value '${String(accessValue).slice(0, 40)}'. Valid values are 'open', 'company' and 'collaborators'.`,
    );
  }
  const access: SharedLinkAccess = accessValue;
  const permissions = asked['permissions'];
  if (permissions !== undefined && !isObject(permissions))
    throw invalidParameter('permissions', 'permissions must be an object');
  const flag = (name: string, fallback: boolean): boolean => {
    const value = permissions?.[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw invalidParameter(name, `${name} must be true or false`);
    return value;
  };
  // Box's spec: can_download "can only be set when access is open or company"; can_edit only
  // with can_download. A link for collaborators gives no more than their own permissions.
  const canDownload = flag('can_download', access !== 'collaborators');
  const canEdit = flag('can_edit', false);
  if (access === 'collaborators' && (canDownload || canEdit)) {
    throw new LocalboxError(400, 'bad_request', 'A shared link for collaborators cannot set can_download or can_edit');
  }
  if (canEdit && !canDownload) {
    throw new LocalboxError(400, 'bad_request', 'A shared link can allow editing only when it allows downloading');
  }
  return {
    token: existing?.token ?? newToken(),
    access,
    canDownload,
    canEdit,
    createdAt: existing?.createdAt ?? new Date().toISOString(),
    downloadCount: existing?.downloadCount ?? 0,
    previewCount: existing?.previewCount ?? 0,
  };
}

/** The link as Box answers it (File--Full's `shared_link`), its URLs on the origin asked. */
export function sharedLinkView(file: FileRecord, link: SharedLinkRecord, origin: string): Record<string, unknown> {
  return {
    url: `${origin}/s/${link.token}`,
    download_url: `${origin}/shared/static/${link.token}${extname(file.name).toLowerCase()}`,
    vanity_url: null,
    vanity_name: null,
    access: link.access,
    effective_access: link.access,
    effective_permission: link.canEdit ? 'can_edit' : link.canDownload ? 'can_download' : 'can_preview',
    unshared_at: null,
    is_password_enabled: false,
    permissions: { can_preview: true, can_download: link.canDownload, can_edit: link.canEdit },
    download_count: link.downloadCount,
    preview_count: link.previewCount,
  };
}
