import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SESSION_LIFETIME_MS } from '../../shared/box-limits.ts';
import { DEFAULT_ANSWERS, type BoxAnswers } from './box-answers.ts';
import { Exchange } from './exchange.ts';
import { FaultPlan, type FaultAction } from './faults.ts';
import { ItemStore } from './item-store.ts';
import {
  isAcceptedToken,
  isFixedToken,
  type LocalboxContext,
  type ResolvedLocalboxOptions,
} from './localbox-context.ts';
import { LocalboxError } from './localbox-error.ts';
import { oauthContext, oauthHandle, type LocalboxOAuthHandle, type LocalboxOAuthOptions } from './localbox-oauth.ts';
import { LocalboxStats, type LocalboxStatsSnapshot, type PartAttempt } from './localbox-stats.ts';
import { parsePartSizeOption, type PartSizeRule } from './part-size-rule.ts';
import { PRIVATE_DIR_MODE } from '../../shared/file-modes.ts';
import { matchRoute } from './router.ts';
import { expireSessions } from './routes/admin-routes.ts';
import { parseSessionEndpointBase } from './session-endpoint-base.ts';
import { SessionStore } from './session-store.ts';
import { UploadRateLimit } from './upload-rate-limit.ts';
import { BandwidthShaper } from './connection-shaper.ts';

/** Options; the sign-in (OAuth 2.0) and quota ones are in localbox-oauth.ts. */
export interface LocalboxOptions extends LocalboxOAuthOptions {
  /** 0 or absent: a free port. localbox always binds 127.0.0.1. */
  port?: number;
  /** Where folders, files, sessions and parts live. Absent: a temporary directory removed on stop. */
  dataDir?: string;
  /** The bearer token to accept. Absent: a random one. */
  token?: string;
  /** Delay before every response, in ms. */
  latencyMs?: number;
  /** Cap on each connection's request-body throughput. */
  connBandwidthBytesPerSec?: number;
  /** Cap on the request-body throughput of all connections together (one shared budget). */
  totalBandwidthBytesPerSec?: number;
  /** `box` (default), a fixed byte count, or a rule. */
  partSize?: 'box' | number | PartSizeRule;
  /** How long sessions live; Box: 7 days. */
  sessionLifetimeMs?: number;
  /** Larger declared file sizes get 403 file_size_limit_exceeded. Default 150 GB (Box Enterprise Plus). */
  maxFileSizeBytes?: number;
  /** Largest direct (multipart) upload. Default 50 MiB (Box documents 50 MB). */
  maxDirectUploadBytes?: number;
  /** Emit `context_info.conflicts` as an array everywhere (Box's spec), to test client tolerance. */
  conflictsAsArray?: boolean;
  /** Box's upload rate limit (240/min per user); off unless set. */
  uploadRequestsPerMinute?: number;
  /** The window `uploadRequestsPerMinute` counts over: 60 s as Box; tests shorten it to run in seconds. */
  uploadRateWindowMs?: number;
  /** Which of Box's possible answers to give where Box documents none (box-answers.ts). */
  answers?: Partial<BoxAnswers>;
  /**
   * Answer upload sessions with `session_endpoints` under this URL (ending in /api/2.0, e.g.
   * https://upload-las.app.box.com/api/2.0) instead of the host the request came in on: Box's own
   * API description serves session calls from a variable host, so a real session may name another
   * Box host. That host must still reach this localbox (a test's proxy routes it here); its name
   * is accepted like `hostNames`. Absent: the request's own origin, as always.
   */
  sessionEndpointBase?: string;
  /**
   * The /_localbox/ test controls (faults, stats, token, expiry) over HTTP. Off by default: the
   * app's embedded localbox never serves them; tests and `hoist localbox --admin-routes` do.
   */
  adminRoutes?: boolean;
  /**
   * Host names accepted besides 127.0.0.1, localhost and [::1] (a name this machine is reached
   * by, such as a proxy's). Any other Host is refused, so a web page cannot reach localbox by
   * pointing its own name at 127.0.0.1 (DNS rebinding).
   */
  hostNames?: readonly string[];
  /** How long a request's headers may take to arrive. Default 20 s. */
  headersTimeoutMs?: number;
  /** How long a connection may send and receive nothing mid-request. Default 2 minutes. */
  idleTimeoutMs?: number;
  /** How often the parts of expired sessions are deleted (also once at start). Default 10 minutes. */
  sweepIntervalMs?: number;
  /** Serve https with this certificate and key (PEM) instead of plain http. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface LocalboxHandle extends LocalboxOAuthHandle {
  /** http://127.0.0.1:PORT (https:// with `tls`). API at /2.0, uploads at /api/2.0. */
  url: string;
  token: string;
  dataDir: string;
  /** Faults to inject; see faults.ts. */
  faults: FaultPlan;
  stats(): LocalboxStatsSnapshot;
  resetStats(): void;
  expireSessions(sessionId?: string): Promise<void>;
  setToken(token: string): void;
  /** Switches some of Box's possible answers (box-answers.ts); `reset` starts from the defaults. */
  setAnswers(answers: Partial<BoxAnswers>, reset?: boolean): void;
  stop(): Promise<void>;
}

const FAULT_BODY_DRAIN_LIMIT_BYTES = 256 * 1024 * 1024;

function resolveOptions(options: LocalboxOptions): ResolvedLocalboxOptions {
  const { partSize } = options;
  const endpointBase =
    options.sessionEndpointBase === undefined ? undefined : parseSessionEndpointBase(options.sessionEndpointBase);
  return {
    sessionEndpointBase: endpointBase?.base,
    latencyMs: options.latencyMs ?? 0,
    connBandwidthBytesPerSec: options.connBandwidthBytesPerSec,
    totalBandwidthBytesPerSec: options.totalBandwidthBytesPerSec,
    partSizeRule: typeof partSize === 'function' ? partSize : parsePartSizeOption(partSize),
    sessionLifetimeMs: options.sessionLifetimeMs ?? SESSION_LIFETIME_MS,
    maxFileSizeBytes: options.maxFileSizeBytes ?? 150_000_000_000,
    maxDirectUploadBytes: options.maxDirectUploadBytes ?? 50 * 1024 * 1024,
    conflictsAsArray: options.conflictsAsArray ?? false,
    uploadRequestsPerMinute: options.uploadRequestsPerMinute,
  };
}

/** Reads and discards a body before a fault answer; its bytes did reach the server and count. */
async function drainBody(exchange: Exchange, stats: LocalboxStats, attempt: PartAttempt | undefined): Promise<void> {
  let bytes = 0;
  for await (const chunk of exchange.body()) {
    bytes += chunk.length;
    if (attempt) stats.partBodyBytes(attempt, chunk.length);
    if (bytes > FAULT_BODY_DRAIN_LIMIT_BYTES) return;
  }
}

/** Answers a request from a fault rule instead of the real handler; returns false when it did not. */
async function answerFromFault(
  exchange: Exchange,
  fault: FaultAction,
  operation: string,
  drain: () => Promise<void>,
): Promise<boolean> {
  switch (fault.kind) {
    case 'status': {
      await drain();
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      const code =
        fault.code ??
        (fault.status === 429 ? 'rate_limit_exceeded' : fault.status >= 500 ? 'unavailable' : 'bad_request');
      await exchange.error(
        new LocalboxError(fault.status, code, `Injected fault: ${fault.status} ${code}`, { headers }),
      );
      return true;
    }
    case 'accepted':
      // `commits`: the commit route commits, then answers 202 (commit-route.ts).
      if (operation !== 'commit' || fault.commits) return false;
      await drain();
      await exchange.empty(202, { 'retry-after': String(fault.retryAfterSeconds) });
      return true;
    case 'parts-mismatch':
      if (operation !== 'commit') return false;
      await drain();
      await exchange.error(new LocalboxError(400, 'parts_mismatch', 'Parts are still being processed'));
      return true;
    case 'lose-response':
      exchange.loseResponse = true;
      return false;
    case 'session-conflict':
      return false; // the create-session route answers it
    case 'no-context-info':
      return false; // served as usual; dispatch strips the error's context_info
    case 'answer-without-storing': {
      if (operation !== 'upload-part') return false;
      const sha1 = createHash('sha1');
      let sizeBytes = 0;
      for await (const chunk of exchange.body()) {
        sha1.update(chunk);
        sizeBytes += chunk.length;
      }
      const offset = offsetFromRange(exchange.header('content-range'));
      const part = {
        part_id: randomBytes(4).toString('hex').toUpperCase(),
        offset,
        size: sizeBytes,
        sha1: sha1.digest('hex'),
      };
      await exchange.json(200, { part });
      return true;
    }
    case 'reset-mid-body':
      if (operation === 'upload-part') return false;
      exchange.req.socket.destroy();
      return true;
  }
}

function offsetFromRange(header: string | undefined): number {
  const match = /^bytes (\d+)-/.exec(header ?? '');
  return match ? Number(match[1]) : -1;
}

const LOOPBACK_HOST_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

interface Gate {
  adminRoutes: boolean;
  hostNames: ReadonlySet<string>;
}

async function handle(
  context: LocalboxContext,
  limiter: UploadRateLimit,
  gate: Gate,
  exchange: Exchange,
): Promise<void> {
  // The Host as sent: a malformed one is refused, not replaced by this machine's address (the
  // Exchange's origin falls back to it) and then let through.
  const rawHost = exchange.req.headers.host;
  if (rawHost !== undefined && (!exchange.hostWellFormed || !gate.hostNames.has(exchange.url.hostname.toLowerCase()))) {
    throw new LocalboxError(
      403,
      'forbidden',
      `localbox answers only requests addressed to this machine, not to "${rawHost.replace(/:\d+$/, '').slice(0, 100)}"`,
      { readBody: false },
    );
  }
  // Requests localbox does not serve are answered before their body is read, as a missing token is.
  const match = matchRoute(exchange.req.method ?? 'GET', exchange.url.pathname);
  if (match.kind === 'none' || (match.kind === 'found' && match.route.operation === 'admin' && !gate.adminRoutes))
    throw new LocalboxError(404, 'not_found', `No endpoint at ${exchange.url.pathname}`, { readBody: false });
  if (match.kind === 'wrong-method') {
    throw new LocalboxError(
      405,
      'method_not_allowed',
      `${exchange.req.method} is not allowed on ${exchange.url.pathname}`,
      { readBody: false },
    );
  }
  const { route, params } = match;
  exchange.params = params;
  context.stats.countRequest(route.operation);
  if (route.operation !== 'admin') {
    const event = context.stats.requestStarted(exchange.req.method ?? 'GET', exchange.url.pathname, route.operation);
    exchange.res.on('close', () => context.stats.requestEnded(event));
  }
  const attempt =
    route.operation === 'upload-part'
      ? context.stats.partStarted(params['sessionId'] ?? '', offsetFromRange(exchange.header('content-range')))
      : undefined;
  if (attempt) {
    exchange.res.on('close', () =>
      context.stats.partEnded(attempt, exchange.res.headersSent ? exchange.res.statusCode : null),
    );
  }
  const access = route.access ?? 'api';
  const authorization = exchange.header('authorization');
  if (
    (access === 'api' && !isAcceptedToken(context, authorization)) ||
    (access === 'admin' && !isFixedToken(context, authorization))
  ) {
    throw new LocalboxError(401, 'unauthorized', 'The access token provided is invalid.');
  }
  if (route.operation === 'upload-part' || route.operation === 'direct-upload') {
    const retryAfterSeconds = limiter.check();
    if (retryAfterSeconds !== undefined) {
      context.stats.rateLimited();
      throw new LocalboxError(429, 'rate_limit_exceeded', 'Request rate limit exceeded, please try again later', {
        headers: { 'retry-after': String(retryAfterSeconds) },
      });
    }
  }
  const fault =
    route.operation === 'admin' || route.operation === 'other' ? undefined : context.faults.take(route.operation);
  const drain = () => drainBody(exchange, context.stats, attempt);
  // The token endpoint applies its own faults, after counting the grant (oauth-token-route.ts).
  if (fault && route.operation !== 'token' && (await answerFromFault(exchange, fault, route.operation, drain))) return;
  try {
    await route.handle({ exchange, context, fault, attempt });
  } catch (error) {
    if (fault?.kind !== 'no-context-info' || !(error instanceof LocalboxError)) throw error;
    const { status, code, message, headers, readBody } = error;
    throw new LocalboxError(status, code, message, { headers, readBody });
  }
}

/** Starts localbox on 127.0.0.1. Resolves once it is listening. */
export async function startLocalbox(options: LocalboxOptions = {}): Promise<LocalboxHandle> {
  const resolved = resolveOptions(options); // a bad option is refused before anything is made
  const temporaryDir = options.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'localbox-'));
  const dataDir = resolve(options.dataDir ?? temporaryDir ?? '');
  // The person's files: theirs alone, also when the directory was made by an older version.
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(dataDir, PRIVATE_DIR_MODE);
  const gate: Gate = {
    adminRoutes: options.adminRoutes ?? false,
    hostNames: new Set([
      ...LOOPBACK_HOST_NAMES,
      ...(options.hostNames ?? []).map((name) => name.toLowerCase()),
      // The host its sessions name is one it answers for.
      ...(resolved.sessionEndpointBase === undefined ? [] : [new URL(resolved.sessionEndpointBase).hostname]),
    ]),
  };
  const headersTimeoutMs = options.headersTimeoutMs ?? 20_000;
  const items = await ItemStore.open(dataDir);
  const context: LocalboxContext = {
    dataDir,
    items,
    sessions: await SessionStore.open(dataDir),
    faults: new FaultPlan(),
    stats: new LocalboxStats(),
    options: resolved,
    totalShaper:
      resolved.totalBandwidthBytesPerSec === undefined
        ? undefined
        : new BandwidthShaper(resolved.totalBandwidthBytesPerSec),
    // Hex, like Box's own tokens only letters and digits: a base64url token can begin with "-",
    // which a command line then reads as an option (`--token -x...`).
    token: options.token ?? randomBytes(24).toString('hex'),
    ...oauthContext(options, items, resolved.maxFileSizeBytes),
    answers: { ...DEFAULT_ANSWERS, ...options.answers },
  };
  const limiter = new UploadRateLimit(resolved.uploadRequestsPerMinute, options.uploadRateWindowMs);
  await context.sessions.sweepExpired();
  const sweeper = setInterval(
    () => void context.sessions.sweepExpired().catch(() => undefined),
    options.sweepIntervalMs ?? 10 * 60_000,
  );
  sweeper.unref();
  let fallbackHost = '127.0.0.1';
  /** Handlers still running (a part being written, a session being discarded). */
  const running = new Set<Promise<void>>();

  const serverOptions: ServerOptions = {
    // A part under the app's lowest speed limit may take hours, so a whole request has no
    // deadline; instead its headers must arrive promptly and its body keep moving (idle
    // timeout below), and a client without the token is answered before its body is read.
    requestTimeout: 0,
    headersTimeout: headersTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, headersTimeoutMs / 4)),
    keepAliveTimeout: 65_000,
  };
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const exchange = new Exchange(req, res, fallbackHost, resolved.latencyMs);
    const work = handle(context, limiter, gate, exchange)
      .catch(async (error: unknown) => {
        if (res.headersSent || res.destroyed || req.socket.destroyed) return;
        const boxError =
          error instanceof LocalboxError
            ? error
            : new LocalboxError(500, 'internal_server_error', `localbox failed: ${(error as Error).message}`);
        await exchange.error(boxError).catch(() => res.destroy());
      })
      .finally(() => running.delete(work));
    running.add(work);
  };
  const server = options.tls
    ? createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, serve)
    : createServer(serverOptions, serve);
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && socket.writable)
      socket.end('HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    socket.destroy();
  });
  server.setTimeout(options.idleTimeoutMs ?? 120_000, (socket) => socket.destroy());
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ready());
  });
  const { port } = server.address() as AddressInfo;
  fallbackHost = `127.0.0.1:${port}`;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    get token() {
      return context.token;
    },
    dataDir,
    faults: context.faults,
    stats: () => context.stats.snapshot(),
    resetStats: () => context.stats.reset(),
    expireSessions: (sessionId) => expireSessions(context, sessionId),
    setToken: (token) => {
      context.token = token;
    },
    ...oauthHandle(context),
    setAnswers: (answers, reset = false) => {
      context.answers = { ...(reset ? DEFAULT_ANSWERS : context.answers), ...answers };
    },
    async stop() {
      clearInterval(sweeper);
      await new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      });
      // Handlers of cut connections still finish their disk work; wait for them (briefly).
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((resolve) => setTimeout(resolve, 5000).unref()),
      ]);
      if (temporaryDir) await rm(temporaryDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
}
