/** Where an OAuth 2.0 server takes the browser, the code exchange and revocation. */
export interface OAuthEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
}

/** Box's own hosts (box-api.md section 1): the browser goes to account.box.com, tokens to api.box.com. */
export const BOX_OAUTH_ENDPOINTS: OAuthEndpoints = {
  authorizeUrl: 'https://account.box.com/api/oauth2/authorize',
  tokenUrl: 'https://api.box.com/oauth2/token',
  revokeUrl: 'https://api.box.com/oauth2/revoke',
};

/** True for Box's own API host, where Box's own OAuth endpoints apply. */
export function isBoxApi(apiBaseUrl: string): boolean {
  try {
    return new URL(apiBaseUrl).host === 'api.box.com';
  } catch {
    return false;
  }
}

/**
 * Box (api.box.com): account.box.com/api/oauth2/authorize, api.box.com/oauth2/token, /oauth2/revoke.
 * Any other API origin: `${api}/api/oauth2/authorize`, `${api}/oauth2/token`, `${api}/oauth2/revoke`
 * (where localbox serves them); authUrl overrides the authorize URL.
 */
export function oauthEndpointsFor(apiBaseUrl: string, authUrl?: string): OAuthEndpoints {
  const api = apiBaseUrl.replace(/\/+$/, '');
  const base = isBoxApi(api)
    ? BOX_OAUTH_ENDPOINTS
    : {
        authorizeUrl: `${api}/api/oauth2/authorize`,
        tokenUrl: `${api}/oauth2/token`,
        revokeUrl: `${api}/oauth2/revoke`,
      };
  return authUrl === undefined ? { ...base } : { ...base, authorizeUrl: authUrl };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** http is allowed only to this machine (a test server, localbox); anything else needs https. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}
