/**
 * Why an upload stopped running. These travel as exceptions from deep in the pipeline to the job,
 * which turns each into a state (paused, waiting, failed...).
 */

/** A person paused, canceled or removed the job; used as an AbortSignal reason. */
export class JobInterrupted extends Error {
  readonly reason: 'pause' | 'cancel' | 'remove' | 'shutdown';
  constructor(reason: 'pause' | 'cancel' | 'remove' | 'shutdown') {
    super(`upload ${reason}`);
    this.reason = reason;
  }
}

/** The file is not what it was when the upload began. Never commit it. */
export class FileChangedError extends Error {
  readonly description: string;
  constructor(description: string) {
    super(`the file changed while it was uploading: ${description}`);
    this.description = description;
  }
}

/** Retries ran out because the server cannot be reached: wait for it, then continue. */
export class NetworkUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
  }
}

/** The server rejected the token even after a refresh: wait for a new one. */
export class TokenRejected extends Error {
  constructor() {
    super('the server rejected the access token');
  }
}

/** Commit found parts missing on the server: upload them, then commit again. */
export class PartsMissing extends Error {
  readonly missing: number[];
  constructor(missing: number[]) {
    super(`the server is missing ${missing.length} part(s)`);
    this.missing = missing;
  }
}
