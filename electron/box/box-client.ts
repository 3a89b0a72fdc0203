import { randomUUID } from 'node:crypto';
import { boxErrorFrom, parseRetryAfter } from './box-error.ts';
import {
  parseFile,
  parseFilesCollection,
  parseFolder,
  parseOwnerId,
  parseSharedLink,
  parseUser,
  parseItem,
  parseMarkerPage,
  parsePage,
  parseStoredPart,
  parseUploadSession,
  storedPartToWire,
  type BoxFile,
  type BoxFolder,
  type BoxItem,
  type Account,
  type MarkerPage,
  type Page,
  type StoredPart,
  type UploadSession,
} from './box-types.ts';
import { sendHttp, type HttpResponse, type HttpSend } from './http-transport.ts';
import type { SharedLink, SharedLinkAccess } from '../../shared/share-model.ts';
import { serverOrigins, tokenMayGoTo } from './token-origins.ts';
import { TokenOriginError, type TokenSource } from './token-source.ts';
import { type PacedRequest, UploadPacing } from './upload-pacing.ts';
import { UploadRateLimit } from './upload-rate-limit.ts';

/** Where a Box account lives. Box: https://api.box.com and https://upload.box.com/api. */
export interface BoxTarget {
  apiBaseUrl: string;
  uploadBaseUrl: string;
}

/** The signed-in account, re-exported for callers that only hold a client. */
export type { Account };

interface CallOptions {
  json?: unknown;
  body?: Uint8Array | readonly Uint8Array[];
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  onBodyProgress?: ((bytesSent: number) => void) | undefined;
  idleTimeoutMs?: number;
  /** File content: sent under the client's upload speed limit. */
  limited?: boolean;
  /** A direct upload (a whole small file): paced as one (upload-pacing.ts). */
  wholeFile?: boolean;
  /** Statuses that are answers rather than errors. */
  expect: readonly number[];
}

/** A commit's answer: the file (200/201), or 202 "not processed yet, send it again after retry-after". */
export type CommitOutcome =
  { kind: 'committed'; file: BoxFile } | { kind: 'accepted'; retryAfterMs: number | undefined };

/** A direct upload's file and its SHA-1; `onBodyProgress` counts bytes of the file, not of the form. */
export interface DirectUploadInput {
  fileName: string;
  content: Uint8Array;
  sha1Hex: string;
  contentModifiedAt?: string;
  signal?: AbortSignal;
  onBodyProgress?: (bytesSent: number) => void;
}

/** What a client may share with others: the speed limit, the pacing, the HTTP transport. */
export interface BoxClientOptions {
  /** A speed limit shared with other clients (the app keeps one across target changes). */
  uploadRate?: UploadRateLimit;
  /** The pacing of upload requests under Box's rate limit (one per account; a new one by default). */
  uploadPacing?: UploadPacing;
  send?: HttpSend;
}

/** Commit may take long on Box's side for large files; parts and small calls use the default. */
const COMMIT_IDLE_TIMEOUT_MS = 10 * 60_000;

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * Typed calls for the Box endpoints Hoist uses. Every error answer becomes a BoxApiError; no
 * call retries (the engine's retry policy decides). Session follow-up calls take the absolute
 * URLs from `session_endpoints`, as returned. Answers come back as the domain types of
 * box-types.ts; the snake_case wire shapes go no further than this file and that one.
 */
export class BoxClient {
  readonly target: BoxTarget;
  readonly tokens: TokenSource;
  /** Every part and direct upload this client sends shares this limit (none by default). */
  readonly uploadRate: UploadRateLimit;
  /** Every part and direct upload this client sends is paced by this, learnt from Box's 429s. */
  readonly uploadPacing: UploadPacing;
  readonly #send: HttpSend;
  /** The target's API and upload origins: a token goes there, or where token-origins.ts allows for Box. */
  readonly #origins: readonly string[];
  /** Which token each 401 answered, so a refresh after it can tell whether someone refreshed already. */
  readonly #rejectedTokens = new WeakMap<object, string>();

  constructor(target: BoxTarget, tokens: TokenSource, options: BoxClientOptions = {}) {
    this.target = { apiBaseUrl: trimSlash(target.apiBaseUrl), uploadBaseUrl: trimSlash(target.uploadBaseUrl) };
    this.tokens = tokens;
    this.uploadRate = options.uploadRate ?? new UploadRateLimit();
    this.uploadPacing = options.uploadPacing ?? new UploadPacing();
    this.#send = options.send ?? sendHttp;
    this.#origins = serverOrigins(this.target);
  }

  /**
   * Refuses, before anything is sent, a URL the token may not go to (token-origins.ts) for the
   * target or for the origins the token was issued for: a session URL from an edited journal or
   * a server's answer never gets the token. Box's sessions may name any of Box's own hosts.
   */
  #checkOrigin(url: string): void {
    if (!URL.canParse(url)) throw new TokenOriginError('about:invalid', this.#origins);
    const bound = this.tokens.origins;
    if (!tokenMayGoTo(url, this.#origins) || (bound !== undefined && !tokenMayGoTo(url, bound))) {
      throw new TokenOriginError(url, bound ?? this.#origins);
    }
  }

  /**
   * After a 401: asks the token source for a fresher token than the one that was rejected
   * (single flight: parts that failed together share one refresh). True when there is one.
   */
  refreshAfter(error: unknown): Promise<boolean> {
    const rejected = typeof error === 'object' && error !== null ? this.#rejectedTokens.get(error) : undefined;
    return this.tokens.refresh(rejected);
  }

  async #call(operation: string, method: string, url: string, options: CallOptions): Promise<HttpResponse> {
    this.#checkOrigin(url);
    const paced = options.limited
      ? await this.uploadPacing.take(options.signal, { wholeFile: options.wholeFile ?? false })
      : undefined;
    try {
      return await this.#sendWithToken(operation, method, url, options, paced);
    } finally {
      if (paced) this.uploadPacing.finished(paced);
    }
  }

  async #sendWithToken(
    operation: string,
    method: string,
    url: string,
    options: CallOptions,
    paced: PacedRequest | undefined,
  ): Promise<HttpResponse> {
    const token = await this.tokens.current();
    this.#checkOrigin(url); // the account may have changed while the token was refreshed
    const headers: Record<string, string> = { ...options.headers, authorization: `Bearer ${token}` };
    let body = options.body;
    if (options.json !== undefined) {
      body = Buffer.from(JSON.stringify(options.json));
      headers['content-type'] = 'application/json';
    }
    const response = await this.#send({
      method,
      url,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onBodyProgress ? { onBodyProgress: options.onBodyProgress } : {}),
      ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      ...(options.limited ? { throttle: this.uploadRate } : {}),
    });
    if (!options.expect.includes(response.status)) {
      const error = boxErrorFrom(response, operation);
      if (response.status === 429 && paced) this.uploadPacing.rateLimited(paced.sentAtMs, error.retryAfterMs);
      if (response.status === 401) this.#rejectedTokens.set(error, token);
      throw error;
    }
    return response;
  }

  #json(response: HttpResponse): unknown {
    return JSON.parse(response.body.toString('utf8'));
  }

  /** POST /files/upload_sessions: a session for a new file in a folder (Box sets the part size). */
  async createUploadSession(input: {
    folderId: string;
    fileName: string;
    fileSizeBytes: number;
    signal?: AbortSignal;
  }) {
    const response = await this.#call(
      'create upload session',
      'POST',
      `${this.target.uploadBaseUrl}/2.0/files/upload_sessions`,
      {
        json: { folder_id: input.folderId, file_size: input.fileSizeBytes, file_name: input.fileName },
        signal: input.signal,
        expect: [201],
      },
    );
    return parseUploadSession(this.#json(response));
  }

  /** POST /files/{id}/upload_sessions: a session for a new version of a file. */
  async createVersionUploadSession(input: {
    fileId: string;
    fileSizeBytes: number;
    fileName?: string;
    signal?: AbortSignal;
  }) {
    const url = `${this.target.uploadBaseUrl}/2.0/files/${encodeURIComponent(input.fileId)}/upload_sessions`;
    const response = await this.#call('create version upload session', 'POST', url, {
      json: { file_size: input.fileSizeBytes, ...(input.fileName !== undefined ? { file_name: input.fileName } : {}) },
      signal: input.signal,
      expect: [201],
    });
    return parseUploadSession(this.#json(response));
  }

  /** PUT one part: `Content-Range` and `digest: sha=<base64 SHA-1>` (box-api.md section 4). */
  async uploadPart(input: {
    url: string;
    bytes: Uint8Array;
    offset: number;
    fileSizeBytes: number;
    sha1Base64: string;
    signal?: AbortSignal;
    onBodyProgress?: (bytesSent: number) => void;
  }): Promise<StoredPart> {
    const last = input.offset + input.bytes.length - 1;
    const response = await this.#call(`upload part at offset ${input.offset}`, 'PUT', input.url, {
      body: input.bytes,
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `bytes ${input.offset}-${last}/${input.fileSizeBytes}`,
        digest: `sha=${input.sha1Base64}`,
      },
      signal: input.signal,
      onBodyProgress: input.onBodyProgress,
      limited: true,
      expect: [200, 201],
    });
    return parseStoredPart((this.#json(response) as { part?: unknown }).part);
  }

  /** GET list_parts: one page of the parts Box holds for a session, in offset order. */
  async listParts(
    url: string,
    page: { offset: number; limit: number },
    signal?: AbortSignal,
  ): Promise<Page<StoredPart>> {
    // Box names list_parts; a query it may carry is kept (box-ui-elements builds this URL the same way).
    const pageUrl = new URL(url);
    pageUrl.searchParams.set('offset', String(page.offset));
    pageUrl.searchParams.set('limit', String(page.limit));
    const response = await this.#call('list parts', 'GET', pageUrl.href, { signal, expect: [200] });
    return parsePage(this.#json(response), parseStoredPart);
  }

  /** GET status: the session as Box holds it now (404/410 when it is gone). */
  async getUploadSession(url: string, signal?: AbortSignal): Promise<UploadSession> {
    const response = await this.#call('get upload session', 'GET', url, { signal, expect: [200] });
    return parseUploadSession(this.#json(response));
  }

  /** POST commit. 202 means: wait retry-after and send the same commit again; 200 is success as 201 is (rclone). */
  async commitUploadSession(input: {
    url: string;
    /** Sent back as Box returned them, the SHA-1 lower-cased as parsed (storedPartToWire). */
    parts: readonly StoredPart[];
    sha1Base64: string;
    attributes?: Record<string, string>;
    ifMatch?: string;
    signal?: AbortSignal;
  }): Promise<CommitOutcome> {
    const response = await this.#call('commit upload session', 'POST', input.url, {
      json: { parts: input.parts.map(storedPartToWire), ...(input.attributes ? { attributes: input.attributes } : {}) },
      headers: { digest: `sha=${input.sha1Base64}`, ...(input.ifMatch ? { 'if-match': input.ifMatch } : {}) },
      signal: input.signal,
      idleTimeoutMs: COMMIT_IDLE_TIMEOUT_MS,
      expect: [200, 201, 202],
    });
    if (response.status === 202) {
      // Seconds or an HTTP date; empty or unreadable is "not said" (the caller's default), never 0.
      return { kind: 'accepted', retryAfterMs: parseRetryAfter(response.headers['retry-after']) };
    }
    return { kind: 'committed', file: parseFilesCollection(this.#json(response)) };
  }

  /** DELETE abort: Box forgets the session and its parts. */
  async abortUploadSession(url: string, signal?: AbortSignal): Promise<void> {
    await this.#call('abort upload session', 'DELETE', url, { signal, expect: [204, 200] });
  }

  /**
   * Direct upload (multipart): `attributes` first, then the file; `content-md5` carries the
   * SHA-1 hex despite its name (box-api.md section 10). `fileId` uploads a new version.
   */
  async uploadFile(input: DirectUploadInput & ({ folderId: string } | { fileId: string })): Promise<BoxFile> {
    // A random UUID rather than randomBytes: Node draws UUIDs from a batch of entropy, about ten
    // times cheaper, which shows when a folder of thousands of small files makes one upload each.
    const boundary = `hoist-${randomUUID().replaceAll('-', '')}`;
    const isVersion = 'fileId' in input;
    const attributes = {
      name: input.fileName,
      ...(isVersion ? {} : { parent: { id: input.folderId } }),
      ...(input.contentModifiedAt ? { content_modified_at: input.contentModifiedAt } : {}),
    };
    const safeName = input.fileName.replace(/["\r\n]/g, (char) => encodeURIComponent(char));
    const head = Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="attributes"\r\n\r\n${JSON.stringify(attributes)}\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${safeName}"\r\n` +
        'content-type: application/octet-stream\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const path = isVersion ? `/2.0/files/${encodeURIComponent(input.fileId)}/content` : '/2.0/files/content';
    const response = await this.#call(
      isVersion ? 'upload new version' : 'upload file',
      'POST',
      `${this.target.uploadBaseUrl}${path}`,
      {
        body: [head, input.content, tail],
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-md5': input.sha1Hex },
        signal: input.signal,
        onBodyProgress: input.onBodyProgress
          ? (sent) => input.onBodyProgress?.(Math.max(0, Math.min(input.content.length, sent - head.length)))
          : undefined,
        limited: true,
        wholeFile: true,
        expect: [200, 201],
      },
    );
    return parseFilesCollection(this.#json(response));
  }

  /** GET /files/{id}. */
  async getFile(fileId: string, signal?: AbortSignal): Promise<BoxFile> {
    const response = await this.#call(
      'get file',
      'GET',
      `${this.target.apiBaseUrl}/2.0/files/${encodeURIComponent(fileId)}`,
      {
        signal,
        expect: [200],
      },
    );
    return parseFile(this.#json(response));
  }

  /**
   * Creates the file's shared link, or changes its access (Box keeps the URL): PUT
   * /files/{id}?fields=shared_link with `{"shared_link": {"access": ...}}` (Box's spec, "Add shared
   * link to file").
   */
  async createSharedLink(fileId: string, access: SharedLinkAccess, signal?: AbortSignal): Promise<SharedLink> {
    const url = `${this.target.apiBaseUrl}/2.0/files/${encodeURIComponent(fileId)}?fields=shared_link`;
    const response = await this.#call('create shared link', 'PUT', url, {
      json: { shared_link: { access } },
      signal,
      expect: [200],
    });
    return parseSharedLink(this.#json(response));
  }

  /** GET /folders/{id}, with its ancestors. */
  async getFolder(folderId: string, signal?: AbortSignal): Promise<BoxFolder> {
    const url = `${this.target.apiBaseUrl}/2.0/folders/${encodeURIComponent(folderId)}`;
    const response = await this.#call('get folder', 'GET', url, { signal, expect: [200] });
    return parseFolder(this.#json(response));
  }

  /** Who owns a folder or file (GET ...?fields=owned_by): Box counts uploads into it against them. */
  async getOwnerId(item: { kind: 'folder' | 'file'; id: string }, signal?: AbortSignal): Promise<string | undefined> {
    const url = `${this.target.apiBaseUrl}/2.0/${item.kind}s/${encodeURIComponent(item.id)}?fields=owned_by`;
    const response = await this.#call(`get ${item.kind} owner`, 'GET', url, { signal, expect: [200] });
    return parseOwnerId(this.#json(response));
  }

  /**
   * One page of a folder's items, with their names and SHA-1s, by marker (`usemarker=true`): Box
   * documents offsets as unreliable for large folders and refuses them past 9,999. No `marker`:
   * the first page.
   */
  async listFolderItems(
    folderId: string,
    page: { marker?: string | undefined; limit: number },
    signal?: AbortSignal,
  ): Promise<MarkerPage<BoxItem>> {
    const query = new URLSearchParams({ usemarker: 'true', limit: String(page.limit), fields: 'name,sha1' });
    if (page.marker !== undefined) query.set('marker', page.marker);
    const url = `${this.target.apiBaseUrl}/2.0/folders/${encodeURIComponent(folderId)}/items?${query}`;
    const response = await this.#call('list folder items', 'GET', url, { signal, expect: [200] });
    return parseMarkerPage(this.#json(response), parseItem);
  }

  /** POST /folders: a folder named `name` in `parentId` (409 when the name is taken). */
  async createFolder(name: string, parentId: string, signal?: AbortSignal): Promise<BoxFolder> {
    const response = await this.#call('create folder', 'POST', `${this.target.apiBaseUrl}/2.0/folders`, {
      json: { name, parent: { id: parentId } },
      signal,
      expect: [201],
    });
    return parseFolder(this.#json(response));
  }

  /** OPTIONS /files/content: would Box accept this upload? Resolves, or throws the conflict. */
  async preflight(input: {
    fileName: string;
    sizeBytes: number;
    folderId: string;
    signal?: AbortSignal;
  }): Promise<void> {
    await this.#call('preflight', 'OPTIONS', `${this.target.apiBaseUrl}/2.0/files/content`, {
      json: { name: input.fileName, size: input.sizeBytes, parent: { id: input.folderId } },
      signal: input.signal,
      expect: [200],
    });
  }

  /** GET /users/me: who is signed in, and the account's limits (box-api.md section 12). */
  async getCurrentUser(signal?: AbortSignal): Promise<Account> {
    const url = `${this.target.apiBaseUrl}/2.0/users/me?fields=id,name,login,space_amount,space_used,max_upload_size`;
    const response = await this.#call('get current user', 'GET', url, { signal, expect: [200] });
    return parseUser(this.#json(response));
  }

  /** GET /files/{id}/content: the file's bytes. */
  async downloadFile(fileId: string, signal?: AbortSignal): Promise<Buffer> {
    const url = `${this.target.apiBaseUrl}/2.0/files/${encodeURIComponent(fileId)}/content`;
    const response = await this.#call('download file', 'GET', url, { signal, expect: [200] });
    return response.body;
  }
}
