import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { FINISHED_STATES, type AddFilesResult, type NameConflictPolicy } from '../../shared/job-model.ts';
import { MAX_PATHS_PER_REQUEST } from '../../shared/ipc-contract.ts';
import type { BoxClient } from '../box/box-client.ts';
import { sourceFileErrorFrom } from '../engine/source-file.ts';
import type { UploadQueue } from '../engine/upload-queue.ts';
import { intakeFolder } from '../host/folder-intake.ts';
import type { Logger } from './rotating-log.ts';

/** What queuePaths needs: the queue and client of the target, and where and how this request's files go. */
export interface IntakeContext {
  queue: UploadQueue;
  client: BoxClient;
  logger: Logger;
  /** For every file of this request. */
  onNameConflict: NameConflictPolicy;
  /** The Box folder dropped files and folders go into. */
  folderId: string;
  /** That folder's names from the root ("All Files", "Projects"), for each row's "→ All Files › Projects". */
  folderNames?: readonly string[];
  /** Aborted at shutdown: stops folder creation still under way. */
  signal: AbortSignal;
}

/** What was queued and what was refused; `inQueue` marks a path refused only because it already waits. */
export interface IntakeResult {
  added: AddFilesResult['added'];
  rejected: Array<AddFilesResult['rejected'][number] & { inQueue?: true }>;
}

type Add = (path: string, folderId: string, sizeBytes: number | undefined, folderPath?: string) => void;

/** The file's size now, shown while it waits in the queue; undefined when it cannot be read (the upload says why). */
const sizeOf = (path: string): Promise<number | undefined> =>
  stat(path).then(
    (stats) => stats.size,
    () => undefined,
  );

/**
 * Queues dropped paths into the chosen folder: files, and folders with everything in them (the
 * tree is recreated on Box first). Each path that cannot be uploaded, or is already waiting in the
 * queue, comes back with the reason in words.
 */
export async function queuePaths(paths: readonly string[], context: IntakeContext): Promise<IntakeResult> {
  const result: IntakeResult = { added: [], rejected: [] };
  const pending = new Set(
    context.queue
      .jobs()
      .filter((job) => !FINISHED_STATES.has(job.state))
      .map((job) => job.record.path),
  );
  const baseNames = context.folderNames ?? [];
  const add: Add = (path, folderId, sizeBytes, folderPath) => {
    if (pending.has(path)) {
      result.rejected.push({ path, message: 'This file is already in the queue.', inQueue: true });
      return;
    }
    pending.add(path);
    const destinationPath = baseNames.length > 0 ? [...baseNames, ...(folderPath ? folderPath.split('/') : [])] : [];
    const job = context.queue.add({
      path,
      destination: { kind: 'folder', folderId },
      onNameConflict: context.onNameConflict,
      ...(folderPath ? { folderPath } : {}),
      ...(destinationPath.length > 0 ? { destinationPath } : {}),
      ...(sizeBytes !== undefined ? { sizeHintBytes: sizeBytes } : {}),
    });
    context.logger.info('job added', { path });
    result.added.push(job.view());
  };
  for (const path of paths) {
    const kind = await kindOf(path);
    if (kind === 'folder') await addFolder(path, add, result, context);
    else if (typeof kind === 'number') add(path, context.folderId, kind);
    else result.rejected.push({ path, message: kind.reason });
  }
  return result;
}

/** A file's size, 'folder', or why the path cannot be uploaded. */
async function kindOf(path: string): Promise<number | 'folder' | { reason: string }> {
  if (!isAbsolute(path)) return { reason: 'Hoist needs the full path of the file.' };
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) return 'folder';
    if (stats.isFile()) return stats.size;
    return { reason: 'This is not a regular file (a pipe, device or socket).' };
  } catch (error) {
    return {
      reason: `Hoist cannot upload this file: ${sourceFileErrorFrom(error as NodeJS.ErrnoException).message}.`,
    };
  }
}

/** Recreates the folder on Box, then queues its files into their folders there. */
async function addFolder(path: string, add: Add, result: IntakeResult, context: IntakeContext): Promise<void> {
  const addedBefore = result.added.length;
  const intake = await intakeFolder(path, {
    client: context.client,
    parentId: context.folderId,
    signal: context.signal,
    maxFiles: MAX_PATHS_PER_REQUEST - result.added.length,
    onFiles: async (files) => {
      const sizes = await Promise.all(files.map((file) => sizeOf(file.path)));
      files.forEach((file, index) => add(file.path, file.folderId, sizes[index], file.folderPath));
    },
  });
  if (intake.kind === 'made') {
    const { plan } = intake;
    context.logger.info('folder added', {
      path,
      folders: plan.folderIds.length,
      files: plan.files.length,
      systemFilesLeftOut: plan.systemFilesLeftOut,
    });
    result.rejected.push(...plan.skipped);
  } else {
    const { why } = intake;
    const queued = result.added.length - addedBefore;
    const message =
      queued > 0
        ? `Hoist could not create all of this folder on the server (${queued} file(s) in the folders made so far are queued): ${why}`
        : `Hoist could not create this folder: ${why}`;
    result.rejected.push({ path, message });
  }
}
