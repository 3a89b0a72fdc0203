import * as oauth from 'oauth4webapi';
import { NetworkError, sendHttp, type HttpSend } from '../http-transport.ts';
import { isLoopbackUrl, type OAuthEndpoints } from './oauth-endpoints.ts';

/** A Box app (Developer Console: OAuth 2.0 with client ID and secret). */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

export interface TokenSet {
  accessToken: string;
  /** Box rotates it on every refresh and it works once; client credentials have none. */
  refreshToken: string | undefined;
  expiresAtMs: number;
}

/** invalid_grant and friends: the sign-in is over; a person must sign in again. */
export class SignInRequiredError extends Error {
  /** Which sign-in ended (a token source counts them): waiting for a later one can return at once. */
  readonly signInGeneration: number | undefined;
  constructor(message = 'the sign-in has expired or was revoked; sign in again', signInGeneration?: number) {
    super(message);
    this.name = 'SignInRequiredError';
    this.signInGeneration = signInGeneration;
  }
}

/** The OAuth server refused a request for another reason (a wrong client ID or secret...). */
export class OAuthError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'OAuthError';
    this.status = status;
    this.code = code;
  }
}

/** Codes after which only a new sign-in helps (RFC 6749 section 5.2). */
const SIGN_IN_OVER = new Set(['invalid_grant', 'unauthorized_client']);

const TOKEN_TIMEOUT_MS = 30_000;
/** Box's access tokens live 60 minutes; used when a server leaves out expires_in. */
const DEFAULT_EXPIRES_IN_S = 3600;

export interface OAuthCallOptions {
  nowMs?: () => number;
  send?: HttpSend;
  signal?: AbortSignal;
}

/**
 * Box publishes no discovery document: the server description is built by hand from the three
 * endpoints (oauth4webapi takes it as a plain object).
 */
function serverOf(endpoints: OAuthEndpoints): oauth.AuthorizationServer {
  return {
    issuer: new URL(endpoints.tokenUrl).origin,
    authorization_endpoint: endpoints.authorizeUrl,
    token_endpoint: endpoints.tokenUrl,
    revocation_endpoint: endpoints.revokeUrl,
  };
}

/** The client secret goes in the body (client_secret_post), as Box's guides show. */
function clientOf(app: OAuthApp): { client: oauth.Client; auth: oauth.ClientAuth } {
  return { client: { client_id: app.clientId }, auth: oauth.ClientSecretPost(app.clientSecret) };
}

function checkTransport(url: string): void {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackUrl(url))) return;
  throw new OAuthError(
    0,
    'insecure_endpoint',
    `Hoist sends sign-in secrets only over https (or to this machine), not to ${parsed.origin}.`,
  );
}

/** oauth4webapi's HTTP goes through Hoist's own transport: the same timeouts and network errors. */
function requestOptions(url: string, options: OAuthCallOptions) {
  checkTransport(url);
  const send = options.send ?? sendHttp;
  return {
    [oauth.allowInsecureRequests]: isLoopbackUrl(url),
    signal: options.signal ?? AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    [oauth.customFetch]: async (target: string, init: oauth.CustomFetchOptions<string, unknown>) => {
      const body = init.body === undefined ? undefined : Buffer.from(String(init.body));
      const response = await send({
        method: init.method,
        url: target,
        headers: init.headers,
        ...(body ? { body } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
        idleTimeoutMs: TOKEN_TIMEOUT_MS,
        maxResponseBytes: 1024 * 1024,
      });
      const nullBody = response.status === 204 || response.status === 304;
      return new Response(nullBody ? null : new Uint8Array(response.body), {
        status: response.status,
        headers: withJsonType(response.headers, response.body),
      });
    },
  };
}

/**
 * oauth4webapi reads a body only when it is labelled exactly `application/json`. Box does not
 * document the label of its token answers; a JSON object (an `invalid_grant` most of all) labelled
 * otherwise (`text/plain`, `Application/JSON`, none) is read as the JSON it is, or an ended sign-in
 * would look like a broken server and fail uploads instead of asking to sign in.
 */
function withJsonType(headers: Record<string, string>, body: Buffer): Record<string, string> {
  // As oauth4webapi reads it: the text before any ";", untrimmed and case-sensitive.
  const type = headers['content-type']?.split(';')[0];
  if (type === 'application/json' || body.length === 0 || body.length > 65_536) return headers;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return headers;
  } catch {
    return headers;
  }
  return { ...headers, 'content-type': 'application/json' };
}

/** A 5xx or 429 from the token server: it is busy or down, not refusing; wait and try again like any server. */
const busy = (status: number): boolean => status >= 500 || status === 429;

/** Turns whatever a token call threw into one of: SignInRequiredError, OAuthError, NetworkError. */
function translate(error: unknown, url: string): Error {
  const host = new URL(url).host;
  const status =
    error instanceof oauth.ResponseBodyError
      ? error.status
      : error instanceof oauth.OperationProcessingError && error.cause instanceof Response
        ? error.cause.status
        : 0;
  if (busy(status)) return new NetworkError(`EHTTP${status}`, `${host} answered ${status} to the sign-in request`);
  if (error instanceof oauth.ResponseBodyError) {
    const description = error.error_description ? ` (${error.error_description})` : '';
    if (SIGN_IN_OVER.has(error.error))
      return new SignInRequiredError(`${host} ended the sign-in: ${error.error}${description}; sign in again`);
    return new OAuthError(
      error.status,
      error.error,
      `${host} refused the sign-in request: ${error.error}${description}`,
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const code = error.cause[0]?.parameters.error ?? 'invalid_client';
    return new OAuthError(
      error.status,
      code,
      `${host} refused the sign-in request: ${code} (check the client ID and secret)`,
    );
  }
  if (error instanceof NetworkError || error instanceof OAuthError || error instanceof SignInRequiredError)
    return error;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new NetworkError('ETIMEDOUT', `${host} did not answer the sign-in request in time`);
  }
  if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
    return new OAuthError(
      0,
      'invalid_response',
      `${host} answered the sign-in request in a way Hoist does not understand: ${error.message}`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function tokenSetOf(response: oauth.TokenEndpointResponse, nowMs: number): TokenSet {
  const expiresInS =
    typeof response.expires_in === 'number' && response.expires_in > 0 ? response.expires_in : DEFAULT_EXPIRES_IN_S;
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    expiresAtMs: nowMs + expiresInS * 1000,
  };
}

/** The browser's first stop: Box's authorize page with our client, redirect and state (box-api.md section 12). */
export function authorizeUrl(endpoints: OAuthEndpoints, app: OAuthApp, redirectUri: string, state: string): string {
  const url = new URL(endpoints.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', app.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('state', state);
  return url.href;
}

/** What one call to the token server needs: the server, our client and its authentication. */
interface TokenCall {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  /** When the call started: `expires_in` counts from here. */
  startedMs: number;
}

/** Runs one call to the token server; whatever it throws becomes one of Hoist's errors (translate). */
async function tokenCall<T>(
  endpoints: OAuthEndpoints,
  app: OAuthApp,
  url: string,
  options: OAuthCallOptions,
  run: (call: TokenCall) => Promise<T>,
): Promise<T> {
  const { client, auth } = clientOf(app);
  const call = { as: serverOf(endpoints), client, auth, startedMs: (options.nowMs ?? Date.now)() };
  try {
    return await run(call);
  } catch (error) {
    throw translate(error, url);
  }
}

/** The authorization code for tokens. Box has no PKCE: the client secret authenticates. */
export function exchangeCode(
  endpoints: OAuthEndpoints,
  app: OAuthApp,
  code: string,
  redirectUri: string,
  options: OAuthCallOptions = {},
): Promise<TokenSet> {
  return tokenCall(endpoints, app, endpoints.tokenUrl, options, async ({ as, client, auth, startedMs }) => {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      // The loopback listener already checked state against the one it sent.
      oauth.validateAuthResponse(as, client, new URLSearchParams({ code }), oauth.skipStateCheck),
      redirectUri,
      oauth.nopkce,
      requestOptions(endpoints.tokenUrl, options),
    );
    return tokenSetOf(await oauth.processAuthorizationCodeResponse(as, client, response), startedMs);
  });
}

/** A refresh. Box's refresh tokens work once: the answer holds the next one, which must be kept. */
export function refreshTokens(
  endpoints: OAuthEndpoints,
  app: OAuthApp,
  refreshToken: string,
  options: OAuthCallOptions = {},
): Promise<TokenSet> {
  return tokenCall(endpoints, app, endpoints.tokenUrl, options, async ({ as, client, auth, startedMs }) => {
    const request = requestOptions(endpoints.tokenUrl, options);
    const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, request);
    return tokenSetOf(await oauth.processRefreshTokenResponse(as, client, response), startedMs);
  });
}

/** Revokes an access or refresh token (Box revokes the pair). */
export function revokeToken(
  endpoints: OAuthEndpoints,
  app: OAuthApp,
  token: string,
  options: OAuthCallOptions = {},
): Promise<void> {
  return tokenCall(endpoints, app, endpoints.revokeUrl, options, async ({ as, client, auth }) => {
    const response = await oauth.revocationRequest(
      as,
      client,
      auth,
      token,
      requestOptions(endpoints.revokeUrl, options),
    );
    await oauth.processRevocationResponse(response);
  });
}

/** Box's client credentials grant (servers, CI): a service account or a user of the enterprise. */
export function clientCredentials(
  endpoints: OAuthEndpoints,
  app: OAuthApp,
  subject: { type: 'enterprise' | 'user'; id: string },
  options: OAuthCallOptions = {},
): Promise<TokenSet> {
  return tokenCall(endpoints, app, endpoints.tokenUrl, options, async ({ as, client, auth, startedMs }) => {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      auth,
      { box_subject_type: subject.type, box_subject_id: subject.id },
      requestOptions(endpoints.tokenUrl, options),
    );
    return tokenSetOf(await oauth.processClientCredentialsResponse(as, client, response), startedMs);
  });
}
