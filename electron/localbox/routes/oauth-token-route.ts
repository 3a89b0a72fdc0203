import type { Exchange } from '../exchange.ts';
import type { FaultAction } from '../faults.ts';
import type { LocalboxContext } from '../localbox-context.ts';
import { secretsEqual, type GrantFailure, type IssuedTokens } from '../oauth-tokens.ts';

/** Token endpoint bodies are a few hundred bytes; anything near this is not a token request. */
const MAX_FORM_BYTES = 64 * 1024;

/** The grants localbox serves and counts (stats().tokenRequests). */
export const COUNTED_GRANTS = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type CountedGrant = (typeof COUNTED_GRANTS)[number];

/** An answer in Box's OAuth 2.0 error shape: `{"error", "error_description"}` (spec: OAuth2Error). */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly headers: Record<string, string>;

  constructor(status: number, error: string, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.status = status;
    this.error = error;
    this.headers = headers;
  }
}

/** The `error` of an injected status on the token endpoint, unless the rule names a code. */
const INJECTED_ERRORS: Record<number, string> = { 401: 'invalid_client', 429: 'rate_limit_exceeded' };

/** RFC 6749 section 5.1: token responses must not be cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export async function sendOAuthError(exchange: Exchange, error: OAuthError): Promise<void> {
  await exchange.json(
    error.status,
    { error: error.error, error_description: error.message },
    { ...NO_STORE, ...error.headers },
  );
}

/** Reads an application/x-www-form-urlencoded body, as Box's token and revoke endpoints take. */
export async function readForm(exchange: Exchange): Promise<URLSearchParams> {
  const type = (exchange.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of exchange.body()) {
    total += chunk.length;
    if (total > MAX_FORM_BYTES) throw new OAuthError(400, 'invalid_request', 'The request body is too large');
    chunks.push(chunk);
  }
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded');
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** RFC 6749 section 2.3.1: Basic credentials are form-urlencoded before base64. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unescape = (value: string): string => {
    try {
      return decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      return value;
    }
  };
  return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}

/**
 * Checks the client's credentials, from the body (client_id + client_secret, Box's way: Box's SDKs
 * send them there, and golang.org/x/oauth2 lists Box among the providers that take no Basic
 * header). HTTP Basic is refused with 400 invalid_client unless `acceptBasicClientAuth` is set;
 * then a wrong Basic pair gets 401 with a Basic challenge (RFC 6749 section 5.2). The secret is
 * compared in constant time.
 */
export function authenticateClient(exchange: Exchange, context: LocalboxContext, form: URLSearchParams): string {
  const basic = basicCredentials(exchange.header('authorization'));
  if (basic && !context.client.acceptBasicClientAuth) {
    throw new OAuthError(400, 'invalid_client', 'The client credentials must be sent in the request body');
  }
  const id = basic?.id ?? form.get('client_id') ?? '';
  const secret = basic?.secret ?? form.get('client_secret') ?? '';
  const idOk = secretsEqual(id, context.client.clientId);
  const secretOk = secretsEqual(secret, context.client.clientSecret);
  if (idOk && secretOk) return id;
  throw basic
    ? new OAuthError(401, 'invalid_client', 'The client credentials are invalid', {
        'www-authenticate': 'Basic realm="Box"',
      })
    : new OAuthError(400, 'invalid_client', 'The client credentials are invalid');
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') throw new OAuthError(400, 'invalid_request', `${name} is required`);
  return value;
}

function grant(context: LocalboxContext, form: URLSearchParams, grantType: CountedGrant, clientId: string) {
  switch (grantType) {
    case 'authorization_code':
      return context.oauth.redeemCode(required(form, 'code'), clientId, form.get('redirect_uri') ?? undefined);
    case 'refresh_token':
      return context.oauth.refresh(required(form, 'refresh_token'), clientId);
    case 'client_credentials': {
      const subjectType = required(form, 'box_subject_type');
      const subjectId = required(form, 'box_subject_id');
      if (subjectType !== 'enterprise' && subjectType !== 'user') {
        throw new OAuthError(400, 'invalid_request', 'box_subject_type must be enterprise or user');
      }
      // localbox has one user and one enterprise: any enterprise id names it; a user id must be ours.
      if (subjectType === 'user' && subjectId !== context.user.id) {
        return { kind: 'invalid_grant', description: 'Grant credentials are invalid' } satisfies GrantFailure;
      }
      return context.oauth.issueWithoutRefresh(clientId);
    }
  }
}

/**
 * POST /oauth2/token (Box: api.box.com/oauth2/token), form-encoded. Grants authorization_code,
 * refresh_token (rotating, single use) and client_credentials. A `token` fault applies after the
 * grant was counted: `status` answers instead of granting; `lose-response` grants (a refresh
 * token is spent and rotated) and then drops the connection unanswered.
 */
export async function tokenEndpoint(exchange: Exchange, context: LocalboxContext, fault: FaultAction | undefined) {
  try {
    const form = await readForm(exchange);
    const grantType = form.get('grant_type');
    if (grantType !== null && (COUNTED_GRANTS as readonly string[]).includes(grantType)) {
      context.stats.tokenRequest(grantType as CountedGrant);
    }
    if (fault?.kind === 'status') {
      const error =
        fault.code ??
        INJECTED_ERRORS[fault.status] ??
        (fault.status >= 500 ? 'temporarily_unavailable' : 'invalid_request');
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      throw new OAuthError(fault.status, error, `Injected fault: ${fault.status} ${error}`, headers);
    }
    if (fault?.kind === 'reset-mid-body') {
      exchange.req.socket.destroy();
      return;
    }
    if (fault?.kind === 'lose-response') exchange.loseResponse = true;
    if (grantType === null || grantType === '') throw new OAuthError(400, 'invalid_request', 'grant_type is required');
    if (!(COUNTED_GRANTS as readonly string[]).includes(grantType)) {
      throw new OAuthError(400, 'unsupported_grant_type', `The grant type ${grantType.slice(0, 80)} is not supported`);
    }
    const clientId = authenticateClient(exchange, context, form);
    const result: IssuedTokens | GrantFailure = grant(context, form, grantType as CountedGrant, clientId);
    if ('kind' in result) throw new OAuthError(400, result.kind, result.description);
    await exchange.json(
      200,
      {
        access_token: result.accessToken,
        expires_in: result.expiresInSeconds,
        token_type: 'bearer',
        restricted_to: [],
        ...(result.refreshToken === undefined ? {} : { refresh_token: result.refreshToken }),
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      },
      NO_STORE,
    );
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    await sendOAuthError(exchange, error);
  }
}

/**
 * POST /oauth2/revoke (client_id, client_secret, token): revokes the token and the other half of
 * its pair. 200 with an empty body, also for a token that is unknown or already revoked
 * (RFC 7009 section 2.2), so a client cannot probe which tokens exist.
 */
export async function revokeEndpoint(exchange: Exchange, context: LocalboxContext): Promise<void> {
  try {
    const form = await readForm(exchange);
    authenticateClient(exchange, context, form);
    context.oauth.revoke(required(form, 'token'));
    await exchange.empty(200, NO_STORE);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    await sendOAuthError(exchange, error);
  }
}
