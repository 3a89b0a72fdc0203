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

/**
 * A commit whose answer was lost (or that an earlier run sent) was refused when sent again, and
 * the destination holds something else: Hoist cannot say the upload landed.
 */
export class CommitNotLanded extends Error {
  readonly description: string;
  readonly boxDetail: string;
  constructor(description: string, boxDetail: string) {
    super(`the commit's answer was lost and Box holds something else: ${description}`);
    this.description = description;
    this.boxDetail = boxDetail;
  }
}

/** Box kept answering parts_mismatch at commit past the budget, though it holds every part. */
export class PartsNeverSettled extends Error {
  readonly boxDetail: string;
  constructor(reason: string, boxDetail: string) {
    super(reason);
    this.boxDetail = boxDetail;
  }
}
