import { consentPage, errorPage, pageHeaders } from '../consent-page.ts';
import type { Exchange } from '../exchange.ts';
import type { LocalboxContext } from '../localbox-context.ts';
import { secretsEqual } from '../oauth-tokens.ts';
import { checkRedirectUri, redirectWith } from '../redirect-uris.ts';
import { OAuthError, readForm } from './oauth-token-route.ts';

/** The authorize request's parameters (box-api.md section 12; spec: GET /authorize). */
interface AuthorizeParams {
  response_type: string | undefined;
  client_id: string | undefined;
  redirect_uri: string | undefined;
  state: string | undefined;
  scope: string | undefined;
}

const PARAM_NAMES = ['response_type', 'client_id', 'redirect_uri', 'state', 'scope'] as const;
/** Parameters longer than this are not a sign-in request. */
const MAX_PARAM_CHARS = 2048;

function paramsFrom(source: URLSearchParams): AuthorizeParams {
  const params = {} as AuthorizeParams;
  for (const name of PARAM_NAMES) params[name] = source.get(name) ?? undefined;
  return params;
}

type Checked = { kind: 'ok'; redirectUri: string } | { kind: 'page'; status: number; reason: string };

/** Client and redirect_uri first: until both are good, nothing may redirect (RFC 6749 section 4.1.2.1). */
function checkClient(context: LocalboxContext, params: AuthorizeParams): Checked {
  const tooLong = PARAM_NAMES.find((name) => (params[name]?.length ?? 0) > MAX_PARAM_CHARS);
  if (tooLong) return { kind: 'page', status: 400, reason: `The ${tooLong} parameter is too long.` };
  if (params.client_id === undefined || !secretsEqual(params.client_id, context.client.clientId)) {
    return { kind: 'page', status: 400, reason: 'The client_id is missing or not an application this Box knows.' };
  }
  const redirect = checkRedirectUri(params.redirect_uri, context.client.redirectUris);
  if (redirect.kind === 'refused') return { kind: 'page', status: 400, reason: `${redirect.reason}.` };
  return { kind: 'ok', redirectUri: redirect.uri };
}

const originOf = (uri: string): string => new URL(uri).origin;

async function showError(exchange: Exchange, status: number, reason: string): Promise<void> {
  await exchange.html(status, errorPage(reason), pageHeaders(undefined));
}

/**
 * GET /api/oauth2/authorize: the consent page (Box: https://account.box.com/api/oauth2/authorize).
 * A wrong response_type is redirected back as `unsupported_response_type` once the client and
 * redirect_uri are known to be good.
 */
export async function authorizePage(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const params = paramsFrom(exchange.url.searchParams);
  const checked = checkClient(context, params);
  if (checked.kind === 'page') return showError(exchange, checked.status, checked.reason);
  if (params.response_type !== 'code') {
    const location = redirectWith(checked.redirectUri, { error: 'unsupported_response_type', state: params.state });
    return exchange.empty(302, { location, 'cache-control': 'no-store' });
  }
  const page = consentPage({
    clientName: context.client.clientName,
    userName: context.user.name,
    userLogin: context.user.login,
    fields: { ...params },
    redirectUri: checked.redirectUri,
  });
  await exchange.html(200, page, pageHeaders(originOf(checked.redirectUri)));
}

/**
 * A browser posting the form from another site (a page that auto-submits it to grant itself a
 * code) is refused: browsers send Origin with every form post, and ours comes from this origin.
 */
function fromAnotherSite(exchange: Exchange): boolean {
  const origin = exchange.header('origin');
  if (origin !== undefined && origin !== exchange.origin) return true;
  const site = exchange.header('sec-fetch-site');
  return site !== undefined && site !== 'same-origin';
}

/** POST /api/oauth2/authorize: the person's decision. Grant: a code (single use, 30 s); deny: access_denied. */
export async function authorizeDecision(exchange: Exchange, context: LocalboxContext): Promise<void> {
  let form: URLSearchParams;
  try {
    form = await readForm(exchange);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return showError(exchange, 400, 'The consent form was not sent as a form.');
  }
  if (fromAnotherSite(exchange)) return showError(exchange, 403, 'The consent form was sent from another site.');
  const params = paramsFrom(form);
  const checked = checkClient(context, params);
  if (checked.kind === 'page') return showError(exchange, checked.status, checked.reason);
  const decision = form.get('decision');
  if (params.response_type !== 'code' || (decision !== 'grant' && decision !== 'deny')) {
    return showError(exchange, 400, 'The consent form is incomplete: choose Grant or Deny.');
  }
  const location =
    decision === 'grant'
      ? redirectWith(checked.redirectUri, {
          code: context.oauth.issueCode(context.client.clientId, params.redirect_uri),
          state: params.state,
        })
      : redirectWith(checked.redirectUri, { error: 'access_denied', state: params.state });
  await exchange.empty(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
}
