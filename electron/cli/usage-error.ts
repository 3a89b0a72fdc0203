/** A command line the user got wrong: reported with the usage text, exit code 2. */
export class UsageError extends Error {}

/** Something that stops a whole command (not one file): one line, exit code 1 (or the one given). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Parses a whole number flag, or says which flag is wrong. */
export function wholeNumberFlag(name: string, value: string | undefined, { min = 0 } = {}): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min) {
    throw new UsageError(`--${name} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}"`);
  }
  return number;
}

const FS_ERRORS: Record<string, string> = {
  ENOTDIR: 'part of its path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'it is on a read-only disk',
  ENOSPC: 'the disk is full',
};

/** A filesystem error in words. */
export const describeFsError = (error: NodeJS.ErrnoException): string => FS_ERRORS[error.code ?? ''] ?? error.message;
