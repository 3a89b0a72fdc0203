import { randomInt } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT_FOLDER_ID } from '../../shared/box-limits.ts';
import { readJson, writeJsonAtomic } from './atomic-file.ts';
import { nameKey } from './item-names.ts';
import { PRIVATE_DIR_MODE } from '../../shared/file-modes.ts';
import type { SharedLinkRecord } from './shared-links.ts';

export interface FolderRecord {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
  modifiedAt: string;
  etag: number;
}

export interface VersionRecord {
  id: string;
  sha1: string;
  sizeBytes: number;
  createdAt: string;
  /** Content files, relative to the data directory, concatenated in order. */
  segments: string[];
}

export interface FileRecord {
  id: string;
  name: string;
  parentId: string;
  createdAt: string;
  modifiedAt: string;
  contentCreatedAt: string;
  contentModifiedAt: string;
  description: string;
  /** Increments with every change; Box's `etag` and `sequence_id`. */
  etag: number;
  /** Oldest first; the last one is the current version. */
  versions: VersionRecord[];
  /** The file's shared link, once one was made (shared-links.ts); absent or null: none. */
  sharedLink?: SharedLinkRecord | null;
}

export type ItemRef = { type: 'file' | 'folder'; id: string };

export interface NewContent {
  sha1: string;
  sizeBytes: number;
  segments: string[];
  contentCreatedAt?: string | undefined;
  contentModifiedAt?: string | undefined;
  description?: string | undefined;
}

const nowIso = (): string => new Date().toISOString();

/** Folders, files and versions, kept in memory and persisted one JSON file per item. */
export class ItemStore {
  readonly #folders = new Map<string, FolderRecord>();
  readonly #files = new Map<string, FileRecord>();
  /** parentId + lowercased name -> item, for Box's case-insensitive uniqueness. */
  readonly #names = new Map<string, ItemRef>();
  readonly #dir: string;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dataDir: string): Promise<ItemStore> {
    const store = new ItemStore(dataDir);
    await mkdir(join(dataDir, 'folders'), { recursive: true, mode: PRIVATE_DIR_MODE });
    await mkdir(join(dataDir, 'files'), { recursive: true, mode: PRIVATE_DIR_MODE });
    await mkdir(join(dataDir, 'blobs'), { recursive: true, mode: PRIVATE_DIR_MODE });
    for (const name of await readdir(join(dataDir, 'folders'))) {
      if (name.endsWith('.json')) store.#indexFolder(await readJson<FolderRecord>(join(dataDir, 'folders', name)));
    }
    for (const name of await readdir(join(dataDir, 'files'))) {
      if (name.endsWith('.json')) store.#indexFile(await readJson<FileRecord>(join(dataDir, 'files', name)));
    }
    if (!store.#folders.has(ROOT_FOLDER_ID)) {
      const at = nowIso();
      const root = { id: ROOT_FOLDER_ID, name: 'All Files', parentId: null, createdAt: at, modifiedAt: at, etag: 0 };
      store.#indexFolder(root);
      await store.#persistFolder(root);
    }
    return store;
  }

  folder(id: string): FolderRecord | undefined {
    return this.#folders.get(id);
  }

  file(id: string): FileRecord | undefined {
    return this.#files.get(id);
  }

  childByName(parentId: string, name: string): ItemRef | undefined {
    return this.#names.get(`${parentId}/${nameKey(name)}`);
  }

  /** Folders first, then files, each by name: the order Box lists items in. */
  children(parentId: string): Array<FolderRecord | FileRecord> {
    const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
    const folders = [...this.#folders.values()].filter((folder) => folder.parentId === parentId).sort(byName);
    const files = [...this.#files.values()].filter((file) => file.parentId === parentId).sort(byName);
    return [...folders, ...files];
  }

  /** The folders from the root down to (not including) `folderId`. */
  ancestors(folderId: string | null): FolderRecord[] {
    const chain: FolderRecord[] = [];
    for (let id = folderId; id !== null;) {
      const folder = this.#folders.get(id);
      if (!folder) break;
      chain.unshift(folder);
      id = folder.parentId;
    }
    return chain;
  }

  /** Bytes of every version of every file, as Box counts them against the quota. */
  storedBytes(): number {
    let total = 0;
    for (const file of this.#files.values()) for (const version of file.versions) total += version.sizeBytes;
    return total;
  }

  blobDir(versionId: string): string {
    return join(this.#dir, 'blobs', versionId);
  }

  newVersionId(): string {
    return this.#newId();
  }

  /** Creates a folder. The caller has checked the name; the name is taken before any await. */
  async createFolder(name: string, parentId: string): Promise<FolderRecord> {
    const at = nowIso();
    const folder: FolderRecord = { id: this.#newId(), name, parentId, createdAt: at, modifiedAt: at, etag: 0 };
    this.#indexFolder(folder);
    await this.#persistFolder(folder);
    return folder;
  }

  async createFile(name: string, parentId: string, content: NewContent, versionId: string): Promise<FileRecord> {
    const at = nowIso();
    const file: FileRecord = {
      id: this.#newId(),
      name,
      parentId,
      createdAt: at,
      modifiedAt: at,
      contentCreatedAt: content.contentCreatedAt ?? at,
      contentModifiedAt: content.contentModifiedAt ?? at,
      description: content.description ?? '',
      etag: 0,
      versions: [this.#version(versionId, content, at)],
    };
    this.#indexFile(file);
    await this.#persistFile(file);
    return file;
  }

  /** Adds a version to `file`; `newName` renames it (the caller has checked the name). */
  async addVersion(file: FileRecord, content: NewContent, versionId: string, newName?: string): Promise<FileRecord> {
    const at = nowIso();
    if (newName !== undefined && newName !== file.name) {
      this.#names.delete(`${file.parentId}/${nameKey(file.name)}`);
      file.name = newName;
      this.#names.set(`${file.parentId}/${nameKey(newName)}`, { type: 'file', id: file.id });
    }
    file.versions.push(this.#version(versionId, content, at));
    file.etag += 1;
    file.modifiedAt = at;
    file.contentModifiedAt = content.contentModifiedAt ?? at;
    if (content.description !== undefined) file.description = content.description;
    await this.#persistFile(file);
    return file;
  }

  /** Sets or removes (null) the file's shared link; `changed` false for its counters only. */
  async setSharedLink(file: FileRecord, link: SharedLinkRecord | null, changed = true): Promise<FileRecord> {
    file.sharedLink = link;
    if (changed) {
      file.etag += 1;
      file.modifiedAt = nowIso();
    }
    await this.#persistFile(file);
    return file;
  }

  /** The file a shared link's token belongs to. */
  fileBySharedLink(token: string): FileRecord | undefined {
    for (const file of this.#files.values()) if (file.sharedLink?.token === token) return file;
    return undefined;
  }

  #version(id: string, content: NewContent, at: string): VersionRecord {
    return { id, sha1: content.sha1, sizeBytes: content.sizeBytes, createdAt: at, segments: content.segments };
  }

  #newId(): string {
    for (;;) {
      const id = String(randomInt(100_000_000_000, 999_999_999_999));
      if (!this.#folders.has(id) && !this.#files.has(id)) return id;
    }
  }

  #indexFolder(folder: FolderRecord): void {
    this.#folders.set(folder.id, folder);
    if (folder.parentId !== null) {
      this.#names.set(`${folder.parentId}/${nameKey(folder.name)}`, { type: 'folder', id: folder.id });
    }
  }

  #indexFile(file: FileRecord): void {
    this.#files.set(file.id, file);
    this.#names.set(`${file.parentId}/${nameKey(file.name)}`, { type: 'file', id: file.id });
  }

  #persistFolder(folder: FolderRecord): Promise<void> {
    return writeJsonAtomic(join(this.#dir, 'folders', `${folder.id}.json`), folder);
  }

  #persistFile(file: FileRecord): Promise<void> {
    return writeJsonAtomic(join(this.#dir, 'files', `${file.id}.json`), file);
  }
}
