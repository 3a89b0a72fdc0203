import type { Dirent } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { BoxClient } from '../box/box-client.ts';
import { Slots } from './concurrency.ts';
import { describeJobError } from './job-errors.ts';
import { findByName } from './landed-check.ts';
import { isNameTaken, nameConflictOf } from './name-conflict.ts';
import { sourceFileErrorFrom } from './source-file.ts';
import { withRetries } from './with-retries.ts';

/** Folders read and made on the server at once. */
const FOLDERS_AT_ONCE = 3;

/** A file found under a dropped folder, and the Box folder it goes to. */
export interface FolderFile {
  path: string;
  folderId: string;
  /** Where it goes, for people: the dropped folder's name and the subfolders, "/"-separated. */
  folderPath: string;
}

/** What a dropped folder became on Box: the folders made, the files to upload into them, what was left out. */
export interface FolderUploadPlan {
  /** Box folders created or reused, the top one first. */
  folderIds: string[];
  files: FolderFile[];
  /** Entries left out, each with the reason in words. */
  skipped: Array<{ path: string; message: string }>;
  /** Operating-system clutter left out without a word each (.DS_Store, Thumbs.db, ...). */
  systemFilesLeftOut: number;
}

/**
 * Files the operating system or an open document leaves in folders, never what a person means to
 * upload: Finder and Explorer metadata, AppleDouble resource forks ("._name" on non-Mac disks),
 * Office lock files ("~$name"). Left out of folder uploads, as Box Drive and Dropbox do; a file
 * named explicitly is still uploaded.
 */
export function isSystemClutter(name: string): boolean {
  return SYSTEM_FILE_NAMES.has(name.toLowerCase()) || name.startsWith('._') || name.startsWith('~$');
}

const SYSTEM_FILE_NAMES = new Set(['.ds_store', 'thumbs.db', 'ehthumbs.db', 'desktop.ini', 'icon\r', '.localized']);

/** Where a dropped folder goes on Box and how many of its files it takes; `random` is the retry jitter. */
export interface FolderUploadOptions {
  client: BoxClient;
  /** The Box folder the dropped folder goes into. */
  parentId: string;
  signal: AbortSignal;
  /** At most this many files per drop; the rest are skipped with a reason. */
  maxFiles: number;
  /**
   * Told each folder's files as soon as that folder exists on Box, so they can start uploading
   * (and show up) while the rest of the tree is still being created.
   */
  onFiles?: (files: FolderFile[]) => void | Promise<void>;
  random?: (() => number) | undefined;
}

/**
 * Recreates a local folder tree on Box and lists its files with the Box folder each goes to, as
 * Box's own uploader does (box-api.md section 11.3): create each folder; when the name is taken
 * by a folder, reuse it (a second drop of the same folder fills it in). Symbolic links to files
 * are followed; links to folders are not (they can loop), and neither are pipes or devices.
 * System clutter (isSystemClutter) is left out.
 */
export async function prepareFolderUpload(localDir: string, options: FolderUploadOptions): Promise<FolderUploadPlan> {
  const plan: FolderUploadPlan = { folderIds: [], files: [], skipped: [], systemFilesLeftOut: 0 };
  const retry = {
    client: options.client,
    signal: options.signal,
    random: options.random,
  };
  const ensureFolder = async (name: string, parentId: string): Promise<string> => {
    try {
      return (
        await withRetries('create-folder', retry, () => options.client.createFolder(name, parentId, options.signal))
      ).id;
    } catch (error) {
      if (!isNameTaken(error)) throw error;
      // Box names the item in context_info.conflicts; its spec does not promise it, so else look.
      const conflict = nameConflictOf(error) ?? (await findByName(parentId, name, retry));
      if (conflict?.type === 'folder') return conflict.id;
      if (conflict) throw new FolderNameTaken(name);
      throw error; // the name is free again: say what Box said
    }
  };

  // Folders are read and made a few at a time, as Box's own uploader does (3 at once).
  const slots = new Slots(FOLDERS_AT_ONCE);
  const walk = async (dir: string, parentId: string, folderPath: string): Promise<void> => {
    const release = await slots.acquire(options.signal);
    const entries: Dirent[] = [];
    let folderId: string;
    try {
      try {
        for await (const entry of await opendir(dir)) entries.push(entry);
      } catch (error) {
        const reason = sourceFileErrorFrom(error as NodeJS.ErrnoException).message.replace('the file', 'the folder');
        plan.skipped.push({ path: dir, message: `this folder cannot be read: ${reason}` });
        return;
      }
      entries.sort((a, b) => a.name.localeCompare(b.name));
      folderId = await ensureFolder(basename(dir), parentId);
    } finally {
      release();
    }
    plan.folderIds.push(folderId);
    const subfolders: string[] = [];
    const found: FolderFile[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        subfolders.push(path);
        continue;
      }
      const kind = entry.isSymbolicLink() ? await linkTarget(path) : entry.isFile() ? 'file' : 'special';
      if (kind === 'file' && isSystemClutter(entry.name)) {
        plan.systemFilesLeftOut += 1;
      } else if (kind !== 'file') {
        plan.skipped.push({ path, message: SKIP_REASONS[kind] });
      } else if (plan.files.length >= options.maxFiles) {
        plan.skipped.push({ path, message: `more than ${options.maxFiles.toLocaleString('en-US')} files in one drop` });
      } else {
        const file = { path, folderId, folderPath };
        found.push(file);
        plan.files.push(file);
      }
    }
    if (found.length > 0) await options.onFiles?.(found);
    // Every subfolder is walked (the slots bound the work); the first failure is reported after.
    const settled = await Promise.allSettled(
      subfolders.map((subfolder) => walk(subfolder, folderId, `${folderPath}/${basename(subfolder)}`)),
    );
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  };
  await walk(localDir, options.parentId, basename(localDir));
  return plan;
}

/** Why a folder could not be made on the server, in words: "a file named ... is already there". */
export function describeFolderError(error: unknown, folderName: string, server: string): string {
  return error instanceof FolderNameTaken
    ? `${error.message}.`
    : describeJobError(error, { fileName: folderName, server }).message;
}

/** The dropped folder's name is taken by a file in the destination. */
export class FolderNameTaken extends Error {
  constructor(name: string) {
    super(`a file named "${name}" is already where the folder would go`);
  }
}

const SKIP_REASONS = {
  'folder-link': 'a link to a folder; Hoist does not follow those, since they can loop',
  'broken-link': 'a link to something that does not exist',
  special: 'not a regular file (a pipe, device or socket)',
} as const;

async function linkTarget(path: string): Promise<'file' | keyof typeof SKIP_REASONS> {
  try {
    const target = await stat(path);
    return target.isFile() ? 'file' : target.isDirectory() ? 'folder-link' : 'special';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return 'broken-link';
    throw sourceFileErrorFrom(error as NodeJS.ErrnoException);
  }
}
