import type { JobError } from '../../shared/job-model.ts';
import { BoxApiError, BoxProtocolError } from '../box/box-error.ts';
import { CertificateError, NetworkError, ProxyError } from '../box/http-transport.ts';
import { SignInRequiredError } from '../box/oauth/oauth-client.ts';
import { TokenOriginError } from '../box/token-source.ts';
import { QuotaExceeded } from './account-quota.ts';
import {
  CommitNotLanded,
  FileChangedError,
  NetworkUnavailable,
  PartsNeverSettled,
  TokenRejected,
} from './job-stops.ts';
import { nameConflictOf } from './name-conflict.ts';
import { SourceFileError } from './source-file.ts';

/** What the sentences about a failed upload name: the file, its destination folder, the server. */
export interface ErrorContext {
  fileName: string;
  folderId?: string | undefined;
  server: string;
}

/**
 * Box's own answer in one line (status, code, request id, message), kept as a failure's detail so
 * a person or Box support can match it to the server's logs.
 */
export function boxDetail(error: BoxApiError): string {
  return `${error.status} ${error.code}${error.requestId ? ` (request ${error.requestId})` : ''}: ${error.message}`;
}

function describeBoxError(error: BoxApiError, context: ErrorContext): JobError {
  const detail = boxDetail(error);
  const { code, status } = error;
  if (code === 'item_name_in_use') {
    const conflict = nameConflictOf(error);
    if (conflict?.type === 'folder') {
      return {
        kind: 'name-taken',
        message: `A folder named "${context.fileName}" is already in the destination folder; keep both to upload the file under a numbered name.`,
        detail,
        takenBy: 'folder',
      };
    }
    return {
      kind: 'name-taken',
      message: `A file named "${context.fileName}" already exists in the destination folder; replace it (Box keeps the old one as a previous version) or keep both.`,
      detail,
      takenBy: 'file',
    };
  }
  if (code === 'item_name_invalid' || code === 'item_name_too_long') {
    return {
      kind: 'name-rejected',
      message: `Box does not accept the name "${context.fileName}" (too long, or it has characters such as / or \\, or a trailing space); rename the file and try again.`,
      detail,
    };
  }
  if (
    code === 'invalid_parameter' ||
    (status === 404 && (error.operation.includes('upload file') || error.operation === 'create upload session')) ||
    code === 'invalid_folder_id'
  ) {
    const folder =
      context.folderId === undefined ? 'The destination folder' : `The destination folder ${context.folderId}`;
    return { kind: 'folder-missing', message: `${folder} does not exist, or you cannot see it.`, detail };
  }
  if (status === 401)
    return {
      kind: 'token-rejected',
      message: `${context.server} rejected the access token; enter a new one to continue.`,
      detail,
    };
  if (code === 'storage_limit_exceeded' || code === 'file_size_limit_exceeded' || status === 413) {
    return {
      kind: 'quota',
      message: 'The file is larger than your Box account allows, or the account is full.',
      detail,
    };
  }
  if (status === 404 && ['create version upload session', 'upload new version'].includes(error.operation)) {
    return {
      kind: 'server-error',
      message: `The file on Box to add "${context.fileName}" to as a new version no longer exists, or you cannot see it.`,
      detail,
    };
  }
  if (code === 'session_expired' || (status === 404 && error.operation.includes('session'))) {
    return {
      kind: 'session-lost',
      message: 'The upload session on the server is gone; retry to start a new one.',
      detail,
    };
  }
  if (status === 403)
    return { kind: 'server-error', message: 'You do not have permission to upload to this folder.', detail };
  if (status >= 500 || status === 429) {
    return {
      kind: 'server-error',
      message: `${context.server} kept failing; it may be having problems. Retry later.`,
      detail,
    };
  }
  return { kind: 'server-error', message: `The server refused the upload: ${error.message}`, detail };
}

/** Turns anything that stopped an upload into a sentence for a person, with details kept. */
export function describeJobError(error: unknown, context: ErrorContext): JobError {
  if (error instanceof SourceFileError)
    return { kind: 'file-unreadable', message: `Hoist cannot upload this file: ${error.message}.`, detail: error.code };
  if (error instanceof FileChangedError) {
    return {
      kind: 'file-changed',
      message: `The file changed on disk while it was uploading (${error.description}); nothing was committed. Upload it again once it is no longer being written.`,
    };
  }
  if (error instanceof SignInRequiredError) {
    return {
      kind: 'sign-in-required',
      message: `The sign-in to ${context.server} has ended (it expired or was revoked); sign in again and the upload continues where it stopped.`,
    };
  }
  if (error instanceof QuotaExceeded) return { kind: 'quota', message: error.message, detail: `403 ${error.code}` };
  if (error instanceof TokenOriginError) return { kind: 'server-error', message: `${error.message}.` };
  if (error instanceof CommitNotLanded) {
    return {
      kind: 'server-error',
      message: `Hoist cannot tell whether "${context.fileName}" was saved on Box: its commit may already have reached Box (the answer was lost, or Hoist stopped right after sending it), Box refused it when sent again, and ${error.description}. Check the file on Box, then retry to upload it again.`,
      detail: error.boxDetail,
    };
  }
  if (error instanceof PartsNeverSettled) {
    return {
      kind: 'server-error',
      message: `${error.message}, so "${context.fileName}" was not saved. Retry later; the parts already sent stay on Box until the session expires.`,
      detail: error.boxDetail,
    };
  }
  if (error instanceof TokenRejected)
    return {
      kind: 'token-rejected',
      message: `${context.server} rejected the access token; enter a new one to continue.`,
    };
  // A certificate or a proxy that refuses: one sentence naming the host (and issuer or proxy).
  if (error instanceof CertificateError || error instanceof ProxyError)
    return { kind: 'server-unreachable', message: `${error.message}.`, detail: error.code };
  if (error instanceof NetworkUnavailable || error instanceof NetworkError) {
    return { kind: 'server-unreachable', message: `${context.server} cannot be reached.`, detail: error.message };
  }
  if (error instanceof BoxApiError) return describeBoxError(error, context);
  if (error instanceof BoxProtocolError) {
    return {
      kind: 'server-error',
      message: `The server answered in a way Hoist does not understand: ${error.message}.`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return {
    kind: 'internal',
    message: `The upload stopped unexpectedly: ${message}.`,
    ...(code ? { detail: code } : {}),
  };
}
