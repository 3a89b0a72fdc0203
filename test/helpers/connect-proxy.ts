import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createProxy } from 'proxy';

export interface TestProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  /** host:port, as Hoist names the proxy. */
  host: string;
  /** CONNECT requests received, with the Proxy-Authorization each carried (or undefined). */
  connects: Array<{ target: string; authorization: string | undefined }>;
  /** Tunnels that were let through (200). */
  tunnelsOpened(): number;
  /** Cuts every tunnel open now (a reset mid-upload). */
  resetTunnels(): void;
  stop(): Promise<void>;
}

/**
 * A real CONNECT proxy on 127.0.0.1 (the `proxy` package), optionally asking for Basic
 * credentials `user:password` with 407.
 */
export async function startTestProxy(
  t: { after(cleanup: () => unknown): void },
  login?: { username: string; password: string },
): Promise<TestProxy> {
  const server = createProxy(createServer());
  const connects: TestProxy['connects'] = [];
  const tunnels = new Set<Socket>();
  let opened = 0;
  const expected = login ? `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}` : '';
  server.authenticate = (req: IncomingMessage) => {
    const ok = !login || req.headers['proxy-authorization'] === expected;
    if (ok && req.method === 'CONNECT') opened += 1;
    return ok;
  };
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    connects.push({ target: req.url ?? '', authorization: req.headers['proxy-authorization'] });
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  const proxy: TestProxy = {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    connects,
    tunnelsOpened: () => opened,
    resetTunnels: () => {
      for (const socket of tunnels) socket.resetAndDestroy();
    },
    stop: () =>
      new Promise<void>((stopped) => {
        for (const socket of tunnels) socket.destroy();
        server.close(() => stopped());
        server.closeAllConnections();
      }),
  };
  t.after(() => proxy.stop());
  return proxy;
}

/** A CONNECT proxy that sends every tunnel to one place, whatever host was asked for. */
export interface RoutingProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The host:port of every CONNECT, in order (refused ones too). */
  connects: string[];
  stop(): Promise<void>;
}

/**
 * A CONNECT proxy on 127.0.0.1 standing in for the internet's DNS: a tunnel to any host `routes`
 * accepts (say, Box's *.box.com) is connected to 127.0.0.1:`toPort`, where a test server holds a
 * certificate for those names; any other host is refused (403). The client does TLS through the
 * tunnel as it would to the real host, so its certificate and origin checks are the real ones.
 */
export async function startRoutingProxy(
  t: { after(cleanup: () => unknown): void },
  toPort: number,
  routes: (host: string) => boolean,
): Promise<RoutingProxy> {
  const server = createServer((_req, res) => res.writeHead(405).end());
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push(target);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const host = target.replace(/:\d+$/, '');
    if (!routes(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(toPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  const proxy: RoutingProxy = {
    url: `http://127.0.0.1:${port}`,
    connects,
    stop: () =>
      new Promise<void>((stopped) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => stopped());
        server.closeAllConnections();
      }),
  };
  t.after(() => proxy.stop());
  return proxy;
}
