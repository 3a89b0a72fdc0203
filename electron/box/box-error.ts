import type { HttpResponse } from './http-transport.ts';

/**
 * An error answer from Box, parsed from its error object (box-api.md section 2). Keeps what a
 * person or the retry policy needs: status, code, message, request id, retry-after.
 */
export class BoxApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  /** From the retry-after header, in ms. */
  readonly retryAfterMs: number | undefined;
  readonly contextInfo: Record<string, unknown> | undefined;
  /** What was being done, e.g. "upload part at offset 8388608". */
  readonly operation: string;

  constructor(fields: {
    status: number;
    code: string;
    message: string;
    requestId?: string | undefined;
    retryAfterMs?: number | undefined;
    contextInfo?: Record<string, unknown> | undefined;
    operation: string;
  }) {
    super(fields.message);
    this.name = 'BoxApiError';
    this.status = fields.status;
    this.code = fields.code;
    this.requestId = fields.requestId;
    this.retryAfterMs = fields.retryAfterMs;
    this.contextInfo = fields.contextInfo;
    this.operation = fields.operation;
  }
}

/** The server answered with something that is not what Box's API promises. */
export class BoxProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoxProtocolError';
  }
}

/** retry-after is seconds or an HTTP date (RFC 9110); returns ms from now. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const dateMs = Date.parse(value);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  410: 'gone',
  412: 'precondition_failed',
  413: 'request_entity_too_large',
  416: 'requested_range_not_satisfiable',
  429: 'rate_limit_exceeded',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'unavailable',
  504: 'gateway_timeout',
};

export function boxErrorFrom(response: HttpResponse, operation: string): BoxApiError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(response.body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Box may send an empty body (401) or a proxy an HTML page: fall back to the status.
  }
  // A 401 says why in www-authenticate: error="invalid_token".
  const authError = /error="([^"]+)"/.exec(response.headers['www-authenticate'] ?? '')?.[1];
  const code =
    typeof body['code'] === 'string'
      ? body['code']
      : (authError ?? STATUS_CODES[response.status] ?? `http_${response.status}`);
  const message =
    typeof body['message'] === 'string'
      ? body['message']
      : typeof body['error_description'] === 'string'
        ? body['error_description']
        : `HTTP ${response.status}`;
  return new BoxApiError({
    status: response.status,
    code,
    message,
    requestId: typeof body['request_id'] === 'string' ? body['request_id'] : response.headers['box-request-id'],
    retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    contextInfo:
      typeof body['context_info'] === 'object' && body['context_info'] !== null
        ? (body['context_info'] as Record<string, unknown>)
        : undefined,
    operation,
  });
}
