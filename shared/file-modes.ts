/**
 * What Hoist keeps on disk (localbox's data, the journal, the state directory) is the person's
 * alone: directories 0700, files 0600, whatever the process's umask.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
