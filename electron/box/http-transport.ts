import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A body written in order; several buffers avoid concatenating a multipart body. */
  body?: Uint8Array | readonly Uint8Array[];
  signal?: AbortSignal;
  /** Called as body bytes are handed to the OS, with the running total. */
  onBodyProgress?: (bytesSent: number) => void;
  /** Give up when nothing moves either way for this long. */
  idleTimeoutMs?: number;
  /** Largest response body accepted. */
  maxResponseBytes?: number;
  /** An upload speed limit the body is written under (see upload-rate-limit.ts). */
  throttle?: BodyThrottle;
}

/** What writing a body under a speed limit needs from the limit. */
export interface BodyThrottle {
  sliceBytes(): number;
  take(bytes: number, signal?: AbortSignal): Promise<void>;
}

export interface HttpResponse {
  status: number;
  /** Lowercase names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** The request never got an answer: refused, reset, timed out, DNS. Retry material. */
export class NetworkError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'NetworkError';
  }
}

export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

const SLICE_BYTES = 1024 * 1024;
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

// Keep-alive: parts reuse connections (a TCP + TLS handshake per 8 MiB part would be waste).
// No socket cap here: the engine decides how many requests run at once.
const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 30_000 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 30_000 }),
};

function networkErrorFrom(error: NodeJS.ErrnoException, url: URL): NetworkError {
  const code = error.code ?? 'ECONNRESET';
  const where = `${url.protocol}//${url.host}`;
  const what: Record<string, string> = {
    ECONNREFUSED: `${where} refused the connection`,
    ECONNRESET: `the connection to ${where} was reset`,
    EPIPE: `the connection to ${where} was closed while sending`,
    ETIMEDOUT: `${where} stopped responding`,
    ENOTFOUND: `${url.hostname} could not be found (DNS)`,
    EAI_AGAIN: `${url.hostname} could not be looked up (DNS)`,
    ENETUNREACH: 'the network is unreachable',
    EHOSTUNREACH: `${url.hostname} is unreachable`,
  };
  return new NetworkError(code, what[code] ?? `${where}: ${error.message}`);
}

function readBody(response: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    response.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        response.destroy(new NetworkError('ERESPONSETOOLARGE', `the response was larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', reject);
    response.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
  });
}

/**
 * Writes the body in slices, respecting backpressure and any speed limit, and reports bytes
 * handed to the OS.
 */
async function writeBody(req: ClientRequest, request: HttpRequest, answered: () => boolean): Promise<void> {
  const buffers = request.body === undefined ? [] : request.body instanceof Uint8Array ? [request.body] : request.body;
  const { throttle } = request;
  let sent = 0;
  for (const buffer of buffers) {
    for (let at = 0; at < buffer.length;) {
      if (answered() || req.destroyed) return;
      const slice = buffer.subarray(at, Math.min(buffer.length, at + (throttle?.sliceBytes() ?? SLICE_BYTES)));
      at += slice.length;
      if (throttle) {
        await throttle.take(slice.length, request.signal);
        if (answered() || req.destroyed) return;
      }
      const flushed = req.write(slice, (error) => {
        if (error) return;
        sent += slice.length;
        request.onBodyProgress?.(sent);
      });
      if (!flushed) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            req.off('drain', done);
            req.off('close', done);
            resolve();
          };
          req.on('drain', done);
          req.on('close', done);
        });
      }
    }
  }
  if (!answered() && !req.destroyed) req.end();
}

/**
 * One HTTP request on a keep-alive connection. Resolves with any HTTP answer (errors included);
 * rejects with NetworkError when no answer came, or with the signal's reason when aborted.
 * A server may answer before the body is fully sent (an early 4xx): the answer wins.
 */
export function sendHttp(request: HttpRequest): Promise<HttpResponse> {
  const url = new URL(request.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = agents[url.protocol as 'http:' | 'https:'];
  if (!agent)
    return Promise.reject(new NetworkError('EPROTO', `unsupported URL scheme in ${url.protocol}//${url.host}`));
  if (request.signal?.aborted) return Promise.reject(request.signal.reason);
  const bodyBytes =
    request.body === undefined
      ? 0
      : request.body instanceof Uint8Array
        ? request.body.length
        : request.body.reduce((sum, buffer) => sum + buffer.length, 0);

  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    let answered = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      request.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const req = send(url, {
      method: request.method,
      agent,
      headers: { ...request.headers, 'content-length': String(bodyBytes) },
    });
    const onAbort = (): void => {
      finish(() => reject(request.signal?.reason));
      req.destroy();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    req.setTimeout(request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () => {
      req.destroy(Object.assign(new Error('idle timeout'), { code: 'ETIMEDOUT' }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered) finish(() => reject(networkErrorFrom(error, url)));
    });
    req.on('response', (response) => {
      answered = true;
      readBody(response, request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES).then(
        (body) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          finish(() => resolve({ status: response.statusCode ?? 0, headers, body }));
        },
        (error: NodeJS.ErrnoException) =>
          finish(() => reject(error instanceof NetworkError ? error : networkErrorFrom(error, url))),
      );
    });
    writeBody(req, request, () => answered).catch((error: NodeJS.ErrnoException) =>
      finish(() => reject(networkErrorFrom(error, url))),
    );
  });
}
