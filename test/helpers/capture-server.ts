import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A plain HTTP server on loopback that records every request and answers 404: a server a token must never reach. */
export async function captureServer(t: { after(cleanup: () => unknown): void }) {
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => res.writeHead(404, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return {
    url,
    requests,
    /** Requests that carried any credential. */
    withToken: () => requests.filter((request) => request.headers.authorization !== undefined),
  };
}

/**
 * Forwards every request to `upstream`. `pretendHost` sets the Host header (localbox builds
 * session_endpoints from Host, so its sessions then point at another origin, as a misbehaving or
 * hostile server's could); paths matching `notFound` get a 404 instead (a server without them);
 * `retryAfter` replaces the retry-after header of every 202 answer (an empty one, an HTTP date);
 * `errorContentType` replaces the content-type of every error answer (4xx, 5xx).
 */
export async function forwardingProxy(
  t: { after(cleanup: () => unknown): void },
  upstream: string,
  options: { pretendHost?: string; notFound?: RegExp; retryAfter?: string; errorContentType?: string } = {},
) {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    if (options.notFound?.test(req.url ?? '')) {
      req.resume();
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"type":"error","status":404,"code":"not_found"}');
      return;
    }
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, ...(options.pretendHost ? { host: options.pretendHost } : {}) },
      },
      (answer) => {
        const status = answer.statusCode ?? 502;
        const headers = {
          ...answer.headers,
          ...(status === 202 && options.retryAfter !== undefined ? { 'retry-after': options.retryAfter } : {}),
          ...(status >= 400 && options.errorContentType !== undefined
            ? { 'content-type': options.errorContentType }
            : {}),
        };
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export const hostRewritingProxy = (t: { after(cleanup: () => unknown): void }, upstream: string, pretendHost: string) =>
  forwardingProxy(t, upstream, { pretendHost });
