import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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
