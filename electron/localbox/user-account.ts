import type { ItemStore } from './item-store.ts';
import { LocalboxError } from './localbox-error.ts';

/** The owner of localbox's foreign folders (LocalboxUserSettings.foreignFolderIds). */
const FOREIGN_OWNER = { type: 'user', id: '2', name: 'Folder Owner', login: 'owner@localhost' };

/** What a test may set about localbox's one user (LocalboxOptions.user, setUser, POST /_localbox/user). */
export interface LocalboxUserSettings {
  name?: string;
  login?: string;
  spaceAmountBytes?: number;
  spaceUsedBytes?: number;
  maxUploadSizeBytes?: number;
  /**
   * Folders (and what is inside them) owned by another user who has room and collaborated with
   * this one: GET /folders/{id} names that owner in owned_by, and uploads into them are counted
   * against the owner's quota, as Box does, not against this user's space. Given, they replace the
   * earlier list.
   */
  foreignFolderIds?: string[];
}

/** Box answers `space_amount` 999999999999999 for accounts without a storage limit. */
export const UNLIMITED_SPACE_BYTES = 999_999_999_999_999;

const NUMBER_FIELDS = ['spaceAmountBytes', 'spaceUsedBytes', 'maxUploadSizeBytes'] as const;

/** Checks settings that arrived as JSON; returns a sentence saying what is wrong, or undefined. */
export function checkUserSettings(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the user must be a JSON object';
  const record = value as Record<string, unknown>;
  const known = new Set<string>(['name', 'login', 'foreignFolderIds', ...NUMBER_FIELDS]);
  const unknown = Object.keys(record).find((key) => !known.has(key));
  if (unknown !== undefined) return `"${unknown.slice(0, 40)}" is not a user setting`;
  for (const key of NUMBER_FIELDS) {
    const number = record[key];
    if (number !== undefined && !(Number.isSafeInteger(number) && (number as number) >= 0)) {
      return `"${key}" must be a whole number of bytes`;
    }
  }
  const foreign = record['foreignFolderIds'];
  if (foreign !== undefined && !(Array.isArray(foreign) && foreign.every((id) => typeof id === 'string'))) {
    return '"foreignFolderIds" must be an array of folder ids';
  }
  // User--Full: name is at most 50 characters; login is an email address.
  const name = record['name'];
  if (name !== undefined && (typeof name !== 'string' || name.length < 1 || name.length > 50)) {
    return '"name" must be a string of 1 to 50 characters';
  }
  const login = record['login'];
  if (login !== undefined && (typeof login !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(login))) {
    return '"login" must be an email address';
  }
  return undefined;
}

/**
 * localbox's one user: who it is, its storage quota, and the space its files use. space_used
 * starts at the setting (or at what the data directory already holds) and grows with every
 * committed file and version, as Box counts versions against the quota.
 */
export class UserAccount {
  readonly id = '1';
  name = 'Local Box';
  login = 'localbox@localhost';
  spaceAmountBytes = UNLIMITED_SPACE_BYTES;
  spaceUsedBytes = 0;
  maxUploadSizeBytes: number;
  foreignFolderIds = new Set<string>();
  readonly createdAt = new Date().toISOString();

  constructor(settings: LocalboxUserSettings, defaults: { maxUploadSizeBytes: number; storedBytes: number }) {
    this.maxUploadSizeBytes = defaults.maxUploadSizeBytes;
    this.spaceUsedBytes = defaults.storedBytes;
    this.set(settings);
  }

  set(settings: LocalboxUserSettings): void {
    const problem = checkUserSettings(settings);
    if (problem) throw new Error(`Invalid localbox user: ${problem}`);
    if (settings.name !== undefined) this.name = settings.name;
    if (settings.login !== undefined) this.login = settings.login;
    if (settings.spaceAmountBytes !== undefined) this.spaceAmountBytes = settings.spaceAmountBytes;
    if (settings.spaceUsedBytes !== undefined) this.spaceUsedBytes = settings.spaceUsedBytes;
    if (settings.maxUploadSizeBytes !== undefined) this.maxUploadSizeBytes = settings.maxUploadSizeBytes;
    if (settings.foreignFolderIds !== undefined) this.foreignFolderIds = new Set(settings.foreignFolderIds);
  }

  /** True unless the folder or one of its ancestors is owned by another user (foreignFolderIds). */
  ownsFolder(items: ItemStore, folderId: string | null | undefined): boolean {
    if (folderId === null || folderId === undefined) return true;
    return !items.ancestors(folderId).some((folder) => this.foreignFolderIds.has(folder.id));
  }

  /** Box's User--Mini of who owns an item in `folderId`: this user, or the other one. */
  ownerView(items: ItemStore, folderId: string | null): Record<string, unknown> {
    return this.ownsFolder(items, folderId)
      ? { type: 'user', id: this.id, name: this.name, login: this.login }
      : FOREIGN_OWNER;
  }

  /**
   * Box's 403s for an upload of `sizeBytes`: `file_size_limit_exceeded` over max_upload_size,
   * `storage_limit_exceeded` when it does not fit in space_amount - space_used. An upload into a
   * folder another user owns (`inOwnSpace` false) uses that owner's space, which has room.
   */
  assertFits(sizeBytes: number, inOwnSpace = true): void {
    if (sizeBytes > this.maxUploadSizeBytes) {
      throw new LocalboxError(
        403,
        'file_size_limit_exceeded',
        'File size exceeds the maximum allowed for this account',
      );
    }
    if (inOwnSpace && sizeBytes > this.spaceAmountBytes - this.spaceUsedBytes) {
      throw new LocalboxError(403, 'storage_limit_exceeded', 'Account storage limit reached');
    }
  }

  added(sizeBytes: number, inOwnSpace = true): void {
    if (inOwnSpace) this.spaceUsedBytes += sizeBytes;
  }

  /** Box's User (GET /users/me without `fields`), typed by the spec's User--Full. */
  view(): Record<string, unknown> {
    return {
      type: 'user',
      id: this.id,
      name: this.name,
      login: this.login,
      created_at: this.createdAt,
      modified_at: this.createdAt,
      language: 'en',
      timezone: 'UTC',
      space_amount: this.spaceAmountBytes,
      space_used: this.spaceUsedBytes,
      max_upload_size: this.maxUploadSizeBytes,
      status: 'active',
      job_title: '',
      phone: '',
      address: '',
      avatar_url: '',
      notification_email: null,
    };
  }
}
