import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { badRequest, HELP_URL, LocalboxError } from './localbox-error.ts';

/** Largest request body read and discarded to answer early errors cleanly (a part of Box's largest size). */
const MAX_DISCARD_BYTES = 1024 * 1024 * 1024;

const HOST_PATTERN = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** One request and its response, with the rules every localbox answer follows. */
export class Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly requestId: string;
  /** scheme://host:port as the client addressed us, so URLs we hand out go back the same way. */
  readonly origin: string;
  /** Whether the Host header, as sent, is a host name or address with an optional port (or absent). */
  readonly hostWellFormed: boolean;
  params: Record<string, string> = {};
  /** A lose-response fault: do the work, then drop the connection without an answer. */
  loseResponse = false;
  readonly #latencyMs: number;

  constructor(req: IncomingMessage, res: ServerResponse, fallbackHost: string, latencyMs: number) {
    this.req = req;
    this.res = res;
    this.requestId = randomBytes(6).toString('hex');
    this.hostWellFormed = req.headers.host === undefined || HOST_PATTERN.test(req.headers.host);
    const host = req.headers.host && this.hostWellFormed ? req.headers.host : fallbackHost;
    const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
    const scheme = encrypted || req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
    this.origin = `${scheme}://${host}`;
    // Only a path ("/2.0/..."), joined to the Host: parsed on its own, "//127.0.0.1/file/1" or an
    // absolute URL would name a host of its own, and the Host check would look at that one instead.
    const target = req.url ?? '/';
    this.url = new URL(target.startsWith('/') ? `${this.origin}${target}` : `${this.origin}/`);
    this.#latencyMs = latencyMs;
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  /** Sends a JSON body. Header names are lowercase, as Box has sent them since 2021. */
  async json(
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    { readBody = true } = {},
  ): Promise<void> {
    const payload = Buffer.from(JSON.stringify(body));
    await this.#respond(
      status,
      { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers },
      payload,
      { readBody },
    );
  }

  /** Sends an HTML page (the OAuth consent page and its errors). */
  async html(status: number, page: string, headers: Record<string, string> = {}): Promise<void> {
    const payload = Buffer.from(page, 'utf8');
    await this.#respond(
      status,
      { 'content-type': 'text/html; charset=utf-8', 'content-length': String(payload.length), ...headers },
      payload,
    );
  }

  async empty(status: number, headers: Record<string, string> = {}): Promise<void> {
    await this.#respond(status, { 'content-length': '0', ...headers }, undefined);
  }

  async stream(status: number, headers: Record<string, string>, body: Readable): Promise<void> {
    await this.#respond(status, headers, body);
  }

  async error(error: LocalboxError): Promise<void> {
    if (error.status === 401) {
      // Box answers a bad token with an empty body and says why in www-authenticate. Nothing of
      // the body is read: a client without the token cannot make localbox take in its bytes, so
      // the answer goes out at once and the connection closes behind it.
      await this.#respond(
        401,
        {
          'content-length': '0',
          'www-authenticate':
            'Bearer realm="Service", error="invalid_token", error_description="The access token provided is invalid."',
        },
        undefined,
        { readBody: false },
      );
      return;
    }
    await this.json(
      error.status,
      {
        type: 'error',
        status: error.status,
        code: error.code,
        message: error.message,
        context_info: error.contextInfo ?? null,
        help_url: HELP_URL,
        request_id: this.requestId,
      },
      error.headers,
      { readBody: error.readBody },
    );
  }

  /**
   * The request body as chunks. Leaving the loop early does not destroy the socket, so an error
   * can still be answered (a plain `for await` over the request would close the connection).
   */
  body(): AsyncIterable<Buffer> {
    return this.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
  }

  /** Reads and parses a JSON body of at most `limitBytes`. */
  async readJson(limitBytes = 16 * 1024 * 1024): Promise<unknown> {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of this.body()) {
      total += chunk.length;
      if (total > limitBytes) throw new LocalboxError(413, 'request_entity_too_large', 'The request body is too large');
      chunks.push(chunk);
    }
    if (total === 0) return undefined;
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw badRequest('The request body is not valid JSON');
    }
  }

  /**
   * Reads and discards what is left of the request body, so an early answer (401, 4xx) is not
   * lost: a server that closes while the client is still sending makes the client see a reset
   * instead of the answer. Bodies declared absurdly large are not waited for.
   */
  async #discardUnreadBody(): Promise<void> {
    if (this.req.complete || this.req.destroyed) return;
    const declared = Number(this.header('content-length') ?? 0);
    if (declared > MAX_DISCARD_BYTES) return;
    let seen = 0;
    for await (const chunk of this.body()) {
      seen += chunk.length;
      if (seen > MAX_DISCARD_BYTES) return;
    }
  }

  async #respond(
    status: number,
    headers: Record<string, string>,
    body: Buffer | Readable | undefined,
    { readBody = true } = {},
  ): Promise<void> {
    if (readBody) await this.#discardUnreadBody().catch(() => undefined);
    if (this.#latencyMs > 0) await delay(this.#latencyMs);
    if (this.res.headersSent || this.res.destroyed) return;
    if (this.loseResponse) {
      this.req.socket.destroy();
      return;
    }
    const unread = !this.req.complete;
    // Box has sent every header name in lowercase since 2021; Node would add Date, Connection
    // and Keep-Alive capitalised, so they are written here. A body we did not read cannot stay
    // on a keep-alive connection.
    const allHeaders: Record<string, string> = {
      date: new Date().toUTCString(),
      connection: unread ? 'close' : 'keep-alive',
      ...(unread ? {} : { 'keep-alive': 'timeout=65' }),
      'box-request-id': this.requestId,
      ...headers,
    };
    this.res.sendDate = false;
    this.res.writeHead(status, allHeaders);
    if (body === undefined || Buffer.isBuffer(body)) {
      this.res.end(body);
    } else {
      body.on('error', () => this.res.destroy());
      body.pipe(this.res);
    }
    if (unread) this.req.resume();
  }
}
