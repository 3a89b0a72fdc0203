import type { AddFilesResult } from '../../shared/job-model.ts';
import type { DroppedFile } from '../../shared/ipc-contract.ts';
import type { CurrentUploads } from './current-uploads.ts';
import { FileGrants } from './file-grants.ts';
import { queuePaths } from './path-intake.ts';
import type { RefusedFiles } from './refused-files.ts';
import type { Logger } from './rotating-log.ts';
import type { SettingsStore } from './settings-store.ts';

/** What FileIntake needs of the service around it. */
export interface FileIntakeContext {
  settings: SettingsStore;
  current: CurrentUploads;
  /** Files refused when added, kept as failed rows until removed (shared with JobControls). */
  refused: RefusedFiles;
  logger: Logger;
  /** Aborted at shutdown: stops folder creation still under way. */
  signal: AbortSignal;
}

/**
 * Files and folders into the queue of the moment, from main (dialogs, command line, "open with")
 * or from the renderer's drops by the ids main granted for them (paths are capabilities,
 * file-grants.ts). What cannot be uploaded stays in the list as a refused row with the reason.
 */
export class FileIntake {
  /** Dropped files the renderer may name by id. */
  readonly #grants = new FileGrants();
  readonly #context: FileIntakeContext;

  constructor(context: FileIntakeContext) {
    this.#context = context;
  }

  /** Registers dropped paths and answers with an id for each (UploadService.registerDroppedPaths). */
  register(paths: readonly string[]): { files: DroppedFile[] } {
    return { files: this.#grants.grant(paths) };
  }

  /** Queues dropped files by their ids; one id main never issued refuses them all (thrown, not a rejected promise). */
  addGranted(fileIds: readonly string[]): Promise<AddFilesResult> {
    return this.add(this.#grants.take(fileIds));
  }

  /** Queues files and folders into the chosen folder (UploadService.addFiles). */
  async add(paths: readonly string[]): Promise<AddFilesResult> {
    const { settings, current, refused, logger, signal } = this.#context;
    const { onNameConflict, destination } = settings.read();
    const { added, rejected } = await queuePaths(paths, {
      queue: current.queue(),
      client: current.target().client,
      logger,
      onNameConflict,
      folderId: destination.folderId,
      folderNames: destination.names,
      signal,
    });
    for (const job of added) {
      const before = refused.idOfPath(job.path);
      if (before && refused.remove(before)) current.rowRemoved(before);
    }
    return {
      added,
      // A refusal stays in the list as a failed row; a file already waiting in the queue needs none.
      rejected: rejected.map(({ path, message, inQueue }) => {
        if (inQueue) return { path, message };
        const row = refused.refuse(path, message, destination.names);
        current.rowChanged(row);
        return { path, message, jobId: row.id };
      }),
    };
  }
}
