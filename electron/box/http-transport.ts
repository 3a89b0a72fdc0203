import type { Agent, ClientRequest, IncomingMessage, request as httpRequest } from 'node:http';

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
const AGENT_OPTIONS = { keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 30_000 };

/**
 * node:http and node:https come through process.getBuiltinModule, https only for an https URL: an
 * ESM `import ... from 'node:http'` builds the module's namespace by reading every export, and a
 * few of them (WebSocket and its events) load Node's whole fetch implementation, ~60 ms of CPU at
 * every CLI start for nothing.
 */
const transports: Record<string, () => { request: typeof httpRequest; agent: Agent }> = {
  'http:': () => {
    const http = process.getBuiltinModule('node:http');
    return { request: http.request, agent: new http.Agent(AGENT_OPTIONS) };
  },
  'https:': () => {
    const https = process.getBuiltinModule('node:https');
    return { request: https.request, agent: new https.Agent(AGENT_OPTIONS) };
  },
};
const loadedTransports = new Map<string, { request: typeof httpRequest; agent: Agent }>();

function transportFor(protocol: string): { request: typeof httpRequest; agent: Agent } | undefined {
  let transport = loadedTransports.get(protocol);
  if (!transport && Object.hasOwn(transports, protocol)) {
    transport = transports[protocol]!();
    loadedTransports.set(protocol, transport);
  }
  return transport;
}

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
  const transport = transportFor(url.protocol);
  if (!transport)
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
    const req = transport.request(url, {
      method: request.method,
      agent: transport.agent,
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
