/**
 * localbox holds the person's uploaded files: its data directory is theirs alone (0700) and every
 * file in it 0600, whatever the process's umask.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
