import { connect } from 'node:net';

/**
 * Sends bytes over a plain TCP connection and returns whatever the server answered before it
 * closed (or before `closeAfterSend` closed it from our side). For malformed and cut-off requests
 * that no HTTP client library will produce.
 */
export function rawExchange(
  url: string,
  chunks: Array<string | Uint8Array>,
  options: { closeAfterSend?: boolean; waitMs?: number } = {},
): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    // The server may answer early and close while we are still writing: that is an answer too.
    const closedByServer = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED']);
    socket.on('error', (error: NodeJS.ErrnoException) =>
      closedByServer.has(error.code ?? '') ? resolve(answer) : reject(error),
    );
    socket.on('close', () => resolve(answer));
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (options.closeAfterSend) socket.destroy();
      else setTimeout(() => socket.end(), options.waitMs ?? 2000);
    });
  });
}

export const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

/**
 * Sends bytes and then waits, sending nothing more, until the server closes the connection (or
 * `giveUpMs` passes and we close it): what it answered, and whether it was the server that closed.
 */
export function rawUntilServerCloses(
  url: string,
  chunks: Array<string | Uint8Array>,
  giveUpMs = 30_000,
): Promise<{ answer: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    let gaveUp = false;
    const timer = setTimeout(() => {
      gaveUp = true;
      socket.destroy();
    }, giveUpMs);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closedByServer: !gaveUp });
    });
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}
