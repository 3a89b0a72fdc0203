import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A plain HTTP server on loopback that records every request with its body and answers 404: a
 * server that must never receive a secret, whatever part of a request it would be sent in.
 */
export async function recordingServer(t: { after(cleanup: () => unknown): void }) {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.after(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return {
    url,
    requests,
    /** The requests in which `secret` appears anywhere: the URL, a header or the body. */
    carrying: (secret: string) =>
      requests.filter((request) => JSON.stringify([request.url, request.headers, request.body]).includes(secret)),
  };
}

/**
 * Plays a browser for a server that hands a code to any client: straight back to the client's
 * loopback listener with a code and the state the authorize URL carried. The client then asks the
 * server's /oauth2/token for tokens, with its Box app, which is what a test wants to see.
 */
export async function returnWithCode(authorizeUrl: string, code = 'any-code'): Promise<void> {
  const authorize = new URL(authorizeUrl);
  const back = new URL(authorize.searchParams.get('redirect_uri')!);
  back.searchParams.set('code', code);
  back.searchParams.set('state', authorize.searchParams.get('state')!);
  await (await fetch(back)).text();
}
