import { stat } from 'node:fs/promises';
import type { BoxClient } from '../box/box-client.ts';
import { intakeFolder } from '../host/folder-intake.ts';

/** One file to upload and the Box folder it goes to. */
export interface UploadTarget {
  path: string;
  folderId: string;
  folderPath?: string;
}

export interface FolderReport {
  /** An entry of a folder that is not uploaded (a link to a folder, a pipe). */
  skipped(path: string, message: string): void;
  /** A folder that could not be made on the server. */
  failed(path: string, message: string): void;
}

/**
 * `hoist upload --recursive`: each folder named is recreated under `folderId` on the server
 * (existing folders reused) and replaced by its files; plain files pass through. Without
 * --recursive nothing is expanded, and a folder fails as a file would, saying it is a folder.
 */
export async function expandFolders(
  paths: readonly string[],
  options: { client: BoxClient; folderId: string; recursive: boolean; report: FolderReport },
): Promise<{ targets: UploadTarget[]; failed: boolean }> {
  const targets: UploadTarget[] = [];
  let failed = false;
  for (const path of paths) {
    const isFolder = options.recursive && (await stat(path).catch(() => undefined))?.isDirectory();
    if (!isFolder) {
      targets.push({ path, folderId: options.folderId });
      continue;
    }
    const intake = await intakeFolder(path, {
      client: options.client,
      parentId: options.folderId,
      signal: new AbortController().signal,
      maxFiles: Number.MAX_SAFE_INTEGER,
    });
    if (intake.kind === 'failed') {
      failed = true;
      options.report.failed(path, `the folder could not be made: ${intake.why}`);
      continue;
    }
    const { plan } = intake;
    targets.push(...plan.files);
    for (const { path: left, message } of plan.skipped) options.report.skipped(left, message);
    if (plan.systemFilesLeftOut > 0)
      options.report.skipped(path, `${plan.systemFilesLeftOut} system file(s) such as .DS_Store and Thumbs.db`);
  }
  return { targets, failed };
}
