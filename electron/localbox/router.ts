import type { Exchange } from './exchange.ts';
import type { FaultAction, FaultOperation } from './faults.ts';
import type { LocalboxContext } from './localbox-context.ts';
import type { PartAttempt } from './localbox-stats.ts';
import { adminRoute } from './routes/admin-routes.ts';
import { authorizeDecision, authorizePage } from './routes/authorize-route.ts';
import { commitSession } from './routes/commit-route.ts';
import { directUpload, preflight } from './routes/direct-upload.ts';
import { createFolder, downloadFile, getFile, getFolder, listFolderItems } from './routes/item-routes.ts';
import { revokeEndpoint, tokenEndpoint } from './routes/oauth-token-route.ts';
import { uploadPart } from './routes/part-upload.ts';
import { getCurrentUser } from './routes/user-routes.ts';
import { filePage, sharedDownload, sharedLinkPage, updateFile } from './routes/share-routes.ts';
import {
  abortSession,
  createFileSession,
  createVersionSession,
  getSession,
  listParts,
  logSessionEvent,
} from './routes/session-routes.ts';

export interface RouteInput {
  exchange: Exchange;
  context: LocalboxContext;
  fault: FaultAction | undefined;
  attempt: PartAttempt | undefined;
}

export interface Route {
  method: string;
  pattern: RegExp;
  operation: FaultOperation | 'other' | 'admin';
  /**
   * Who may call it: `api` (default) the fixed token or a live OAuth access token; `admin` the
   * fixed token only; `public` anyone (OAuth endpoints authenticate the client themselves).
   */
  access?: 'api' | 'admin' | 'public';
  handle(input: RouteInput): Promise<void>;
}

const SESSION = String.raw`^/api/2\.0/files/upload_sessions/(?<sessionId>[^/]+)`;
const simple =
  (handler: (exchange: Exchange, context: LocalboxContext) => Promise<void>) =>
  ({ exchange, context }: RouteInput) =>
    handler(exchange, context);

/** Paths mirror Box's: API under /2.0, uploads under /api/2.0 (box-api.md section 1). */
export const ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/2\.0\/files\/upload_sessions$/,
    operation: 'create-session',
    handle: ({ exchange, context, fault }) => createFileSession(exchange, context, fault),
  },
  {
    method: 'POST',
    pattern: /^\/api\/2\.0\/files\/(?<fileId>\d+)\/upload_sessions$/,
    operation: 'create-session',
    handle: ({ exchange, context, fault }) => createVersionSession(exchange, context, fault),
  },
  {
    method: 'PUT',
    pattern: new RegExp(`${SESSION}$`),
    operation: 'upload-part',
    handle: ({ exchange, context, fault, attempt }) => uploadPart(exchange, context, fault, attempt),
  },
  { method: 'GET', pattern: new RegExp(`${SESSION}$`), operation: 'get-session', handle: simple(getSession) },
  { method: 'DELETE', pattern: new RegExp(`${SESSION}$`), operation: 'abort', handle: simple(abortSession) },
  { method: 'GET', pattern: new RegExp(`${SESSION}/parts$`), operation: 'list-parts', handle: simple(listParts) },
  {
    method: 'POST',
    pattern: new RegExp(`${SESSION}/commit$`),
    operation: 'commit',
    handle: ({ exchange, context, fault }) => commitSession(exchange, context, fault),
  },
  { method: 'POST', pattern: new RegExp(`${SESSION}/log$`), operation: 'other', handle: simple(logSessionEvent) },
  {
    method: 'POST',
    pattern: /^\/api\/2\.0\/files\/content$/,
    operation: 'direct-upload',
    handle: simple(directUpload),
  },
  {
    method: 'POST',
    pattern: /^\/api\/2\.0\/files\/(?<fileId>\d+)\/content$/,
    operation: 'direct-upload',
    handle: simple(directUpload),
  },
  { method: 'OPTIONS', pattern: /^\/2\.0\/files\/content$/, operation: 'preflight', handle: simple(preflight) },
  {
    method: 'OPTIONS',
    pattern: /^\/2\.0\/files\/(?<fileId>\d+)\/content$/,
    operation: 'preflight',
    handle: simple(preflight),
  },
  { method: 'GET', pattern: /^\/2\.0\/files\/(?<fileId>[^/]+)$/, operation: 'get-file', handle: simple(getFile) },
  /** Shared links (Box: PUT /files/{id} with `shared_link`). */
  { method: 'PUT', pattern: /^\/2\.0\/files\/(?<fileId>[^/]+)$/, operation: 'update-file', handle: simple(updateFile) },
  {
    method: 'GET',
    pattern: /^\/2\.0\/files\/(?<fileId>[^/]+)\/content$/,
    operation: 'other',
    handle: simple(downloadFile),
  },
  { method: 'GET', pattern: /^\/2\.0\/users\/me$/, operation: 'other', handle: simple(getCurrentUser) },
  { method: 'POST', pattern: /^\/2\.0\/folders$/, operation: 'create-folder', handle: simple(createFolder) },
  { method: 'GET', pattern: /^\/2\.0\/folders\/(?<folderId>[^/]+)$/, operation: 'other', handle: simple(getFolder) },
  {
    method: 'GET',
    pattern: /^\/2\.0\/folders\/(?<folderId>[^/]+)\/items$/,
    operation: 'other',
    handle: simple(listFolderItems),
  },
  // Box serves the consent page on account.box.com/api/oauth2/authorize; localbox on its one host.
  {
    method: 'GET',
    pattern: /^\/api\/oauth2\/authorize$/,
    operation: 'other',
    access: 'public',
    handle: simple(authorizePage),
  },
  {
    method: 'POST',
    pattern: /^\/api\/oauth2\/authorize$/,
    operation: 'other',
    access: 'public',
    handle: simple(authorizeDecision),
  },
  // OAuth 2.0 as Box serves it on api.box.com (box-api.md section 1): no /2.0 prefix.
  {
    method: 'POST',
    pattern: /^\/oauth2\/token$/,
    operation: 'token',
    access: 'public',
    handle: ({ exchange, context, fault }) => tokenEndpoint(exchange, context, fault),
  },
  {
    method: 'POST',
    pattern: /^\/oauth2\/revoke$/,
    operation: 'other',
    access: 'public',
    handle: simple(revokeEndpoint),
  },
  // Pages a browser opens: a file's web page (Box: https://app.box.com/file/{id}), a shared
  // link's page and its download (Box: app.box.com/s/..., /shared/static/...).
  {
    method: 'GET',
    pattern: /^\/file\/(?<fileId>\d+)$/,
    operation: 'other',
    access: 'public',
    handle: simple(filePage),
  },
  {
    method: 'GET',
    pattern: /^\/s\/(?<token>[a-z0-9]+)$/,
    operation: 'other',
    access: 'public',
    handle: simple(sharedLinkPage),
  },
  {
    method: 'GET',
    pattern: /^\/shared\/static\/(?<token>[a-z0-9]+(?:\.[A-Za-z0-9]+)?)$/,
    operation: 'other',
    access: 'public',
    handle: simple(sharedDownload),
  },
  { method: '*', pattern: /^\/_localbox\/[a-z-]+$/, operation: 'admin', access: 'admin', handle: simple(adminRoute) },
];

export type RouteMatch =
  { kind: 'found'; route: Route; params: Record<string, string> } | { kind: 'wrong-method' } | { kind: 'none' };

/**
 * Box takes a path with a trailing slash as the same path (rclone preflights
 * `OPTIONS /2.0/files/content/` against Box, box-api.md section 16), so localbox does too.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
  let pathMatched = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (route.method === method || route.method === '*') {
      return { kind: 'found', route, params: { ...match.groups } };
    }
  }
  return pathMatched ? { kind: 'wrong-method' } : { kind: 'none' };
}
