import { constants, type BigIntStats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

/** The file cannot be uploaded at all: missing, a folder, a pipe, unreadable... */
export class SourceFileError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

function notRegular(stats: BigIntStats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'it is a folder; Hoist uploads files';
  if (stats.isFIFO()) return 'it is a pipe (FIFO), not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'it is a device, not a regular file';
  if (stats.isSocket()) return 'it is a socket, not a regular file';
  return 'it is not a regular file';
}

/** Describes a failed stat, open or read of the file being uploaded. */
export function sourceFileErrorFrom(error: NodeJS.ErrnoException): SourceFileError {
  const reasons: Record<string, string> = {
    ENOENT: 'the file does not exist',
    ENOTDIR: 'a folder in its path does not exist',
    EACCES: 'permission denied: Hoist is not allowed to read it',
    EPERM: 'permission denied: Hoist is not allowed to read it',
    ELOOP: 'its path has a symbolic link loop',
    EISDIR: 'it is a folder; Hoist uploads files',
    EMFILE: 'too many files are open; try again with fewer files',
    EIO: 'the disk reported an input/output error',
  };
  const code = error.code ?? 'EUNKNOWN';
  return new SourceFileError(code, reasons[code] ?? `it cannot be read (${error.message})`);
}

/** A file open for upload and its stat from the open descriptor, the baseline for its snapshot. */
export interface OpenedFile {
  handle: FileHandle;
  stats: BigIntStats;
}

/**
 * Opens a file for upload, after checking it is a regular file. Opens non-blocking so a path
 * that turned into a FIFO between the check and the open cannot hang the uploader.
 */
export async function openSourceFile(path: string): Promise<OpenedFile> {
  let before: BigIntStats;
  try {
    before = await stat(path, { bigint: true });
  } catch (error) {
    throw sourceFileErrorFrom(error as NodeJS.ErrnoException);
  }
  const wrongKind = notRegular(before);
  if (wrongKind) throw new SourceFileError(before.isDirectory() ? 'EISDIR' : 'ENOTREG', wrongKind);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw sourceFileErrorFrom(error as NodeJS.ErrnoException);
  }
  const stats = await handle.stat({ bigint: true });
  const changedKind = notRegular(stats);
  if (changedKind) {
    await handle.close();
    throw new SourceFileError(stats.isDirectory() ? 'EISDIR' : 'ENOTREG', changedKind);
  }
  return { handle, stats };
}

/** stat on the path (not the descriptor): notices a file renamed over ours. */
export async function statPath(path: string): Promise<BigIntStats | undefined> {
  try {
    return await stat(path, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw sourceFileErrorFrom(error as NodeJS.ErrnoException);
  }
}
