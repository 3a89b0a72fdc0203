import { connect } from 'node:net';

/**
 * Sends bytes over a plain TCP connection and returns whatever the server answered before it
 * closed (or before `closeAfterSend` closed it from our side, or `waitMs` passed, or with
 * `endOnAnswer` the answer's head arrived). For malformed and cut-off requests that no HTTP client
 * library will produce.
 */
export function rawExchange(
  url: string,
  chunks: Array<string | Uint8Array>,
  options: { closeAfterSend?: boolean; waitMs?: number; endOnAnswer?: boolean } = {},
): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      // The server answered (its head is whole): no need to wait out `waitMs` on a busy machine.
      if (options.endOnAnswer && answer.includes('\r\n\r\n')) socket.end();
    });
    // The server may answer early and close while we are still writing: that is an answer too.
    const closedByServer = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED']);
    socket.on('error', (error: NodeJS.ErrnoException) =>
      closedByServer.has(error.code ?? '') ? resolve(answer) : reject(error),
    );
    let timer: NodeJS.Timeout | undefined;
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (options.closeAfterSend) socket.destroy();
      else timer = setTimeout(() => socket.end(), options.waitMs ?? 2000);
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
