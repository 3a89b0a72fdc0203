/**
 * An error localbox answers with a Box error object (box-api.md section 2):
 * `{type: "error", status, code, message, context_info, help_url, request_id}`.
 */
export class LocalboxError extends Error {
  readonly status: number;
  readonly code: string;
  readonly contextInfo: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;
  /**
   * False for answers given before the request is known to be one localbox serves (wrong Host,
   * no such endpoint, wrong method): its body is not read, and the connection closes behind it.
   */
  readonly readBody: boolean;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { contextInfo?: Record<string, unknown>; headers?: Record<string, string>; readBody?: boolean } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.contextInfo = options.contextInfo;
    this.headers = options.headers ?? {};
    this.readBody = options.readBody ?? true;
  }
}

export const badRequest = (message: string, code = 'bad_request'): LocalboxError =>
  new LocalboxError(400, code, message);

export const notFound = (message = 'Not Found'): LocalboxError => new LocalboxError(404, 'not_found', message);

export const HELP_URL = 'https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/';
