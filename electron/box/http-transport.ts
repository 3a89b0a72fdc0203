import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import { networkErrorFrom, NetworkError, proxyRefusal } from './connection-errors.ts';
import { CertificateError, secureContextFor, systemStoreReadable } from './network-trust.ts';
import { AgentPool, tunnelReportOf, type ProxyLogins } from './proxy-agents.ts';
import { DIRECT, environmentProxyFor, ProxyError, type ProxyFor, type ProxyRoute } from './proxy-route.ts';

export { CertificateError, NetworkError, ProxyError };

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

export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

const SLICE_BYTES = 1024 * 1024;
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** How requests reach servers: which proxy (if any) per URL, its credentials, extra trusted CAs. */
export interface NetworkOptions {
  /** Default: every request goes direct. */
  proxyFor?: ProxyFor;
  /** Credentials for proxies that answer 407 (the app's; the CLI takes them from the proxy URL). */
  proxyLogins?: ProxyLogins;
  /** CA certificates (PEM) trusted besides Node's, the OS store's and NODE_EXTRA_CA_CERTS. */
  extraCaPem?: readonly string[];
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
 * An HttpSend for these network options. Each request asks `proxyFor` for its route, then goes
 * direct or through a CONNECT tunnel (agents cached per proxy). Servers are trusted by Node's
 * CAs and NODE_EXTRA_CA_CERTS, and the OS store's once a chain failed against those
 * (network-trust.ts): Box's own certificate costs no read of the OS store.
 */
export function createHttpSend(options: NetworkOptions = {}): HttpSend {
  const extra = options.extraCaPem ?? [];
  const pools = new Map<boolean, AgentPool>();
  // Made on first use: `hoist list` sends nothing, and the OS store is read only when needed.
  const poolFor = (withSystem: boolean): AgentPool => {
    let pool = pools.get(withSystem);
    if (!pool) {
      pool = new AgentPool(secureContextFor(extra, withSystem), options.proxyLogins);
      pools.set(withSystem, pool);
    }
    return pool;
  };
  /** Once a server's chain failed against Node's list, the OS store is trusted too from then on. */
  let withSystem = false;
  const sendOnce = async (request: HttpRequest, system: boolean): Promise<HttpResponse> => {
    const url = new URL(request.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new NetworkError('EPROTO', `unsupported URL scheme in ${url.protocol}//${url.host}`);
    if (request.signal?.aborted) throw request.signal.reason;
    const route = options.proxyFor ? await options.proxyFor(url) : DIRECT;
    const pool = poolFor(system);
    const agent = route.kind === 'proxy' ? await pool.tunnel(route.url) : pool.direct(url.protocol)!;
    return sendWith(request, url, agent, route, secureContextFor(extra, system));
  };
  return async (request) => {
    const system = withSystem;
    try {
      return await sendOnce(request, system);
    } catch (error) {
      // The handshake failed, so the server got nothing: sending again is safe.
      if (system || !(error instanceof CertificateError) || !error.untrusted || !systemStoreReadable()) throw error;
      withSystem = true;
      return sendOnce(request, true);
    }
  };
}

/** Every request goes direct; servers are trusted as createHttpSend says. The embedded localbox uses this. */
export const sendDirect: HttpSend = createHttpSend();

/**
 * The transport of everything given no other: the proxy environment variables (HTTPS_PROXY,
 * HTTP_PROXY, NO_PROXY; environmentProxyFor), read at each request. The CLI uses it for every
 * server; the app passes its own (Chromium's proxy settings) wherever it talks to a server.
 */
export const sendHttp: HttpSend = createHttpSend({ proxyFor: environmentProxyFor() });

/**
 * One HTTP request on a keep-alive connection. Resolves with any HTTP answer (errors included);
 * rejects with NetworkError when no answer came (or a proxy's 502-504), ProxyError or
 * CertificateError when a setting must change, or the signal's reason when aborted.
 * A server may answer before the body is fully sent (an early 4xx): the answer wins.
 */
function sendWith(
  request: HttpRequest,
  url: URL,
  agent: Agent,
  route: ProxyRoute,
  secureContext: ReturnType<typeof secureContextFor>,
): Promise<HttpResponse> {
  // Through process.getBuiltinModule, not an import: see proxy-agents.ts.
  const send = process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http').request;
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
      // The server's TLS through a tunnel takes the request's options (the agent's are the proxy's).
      ...(secureContext && url.protocol === 'https:' ? { secureContext } : {}),
    });
    /** The proxy's answer to this request's CONNECT, when it was not 200 (then no server was reached). */
    const proxyStatus = (): number | undefined => {
      const status = route.kind === 'proxy' ? tunnelReportOf(req)?.status : undefined;
      return status !== undefined && status !== 200 ? status : undefined;
    };
    const proxyFailure = (status: number): Error =>
      proxyRefusal(status, url, route as ProxyRoute & { kind: 'proxy' }, tunnelReportOf(req)?.login !== undefined);
    const onAbort = (): void => {
      finish(() => reject(request.signal?.reason));
      req.destroy();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    req.setTimeout(request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () => {
      req.destroy(Object.assign(new Error('idle timeout'), { code: 'ETIMEDOUT' }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return;
      const status = proxyStatus();
      const known = error instanceof ProxyError || error instanceof CertificateError;
      finish(() => reject(status !== undefined && !known ? proxyFailure(status) : networkErrorFrom(error, url, route)));
    });
    req.on('response', (response) => {
      answered = true;
      const status = proxyStatus();
      if (status !== undefined) {
        // The proxy's own answer replayed by the agent, not the server's: no Box error to parse.
        response.resume();
        finish(() => reject(proxyFailure(status)));
        return;
      }
      readBody(response, request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES).then(
        (body) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          finish(() => resolve({ status: response.statusCode ?? 0, headers, body }));
        },
        (error: NodeJS.ErrnoException) => finish(() => reject(networkErrorFrom(error, url, route))),
      );
    });
    writeBody(req, request, () => answered).catch((error: NodeJS.ErrnoException) =>
      finish(() => reject(networkErrorFrom(error, url, route))),
    );
  });
}
