import { basename } from 'node:path';
import {
  describeFolderError,
  prepareFolderUpload,
  type FolderUploadOptions,
  type FolderUploadPlan,
} from '../engine/folder-upload.ts';

/** A folder named for upload, recreated on the server, or why that failed (in words). */
export type FolderIntake = { kind: 'made'; plan: FolderUploadPlan } | { kind: 'failed'; why: string };

/**
 * Recreates a local folder under `options.parentId` (existing folders reused) and lists its files
 * with the Box folder each goes into. The app (service/path-intake.ts) and `hoist upload
 * --recursive` (cli/expand-folders.ts) both take folders in through here and differ only in
 * their words and limits.
 */
export async function intakeFolder(path: string, options: FolderUploadOptions): Promise<FolderIntake> {
  try {
    return { kind: 'made', plan: await prepareFolderUpload(path, options) };
  } catch (error) {
    const server = new URL(options.client.target.apiBaseUrl).host;
    return { kind: 'failed', why: describeFolderError(error, basename(path), server) };
  }
}
