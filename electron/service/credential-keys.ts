/**
 * Names of the secrets Hoist keeps, per server. A credential belongs to the server that issued it:
 * its API origin and the upload origin its uploads go to (Box: api.box.com and upload.box.com).
 * Both origins are in the name, so a changed API URL, or an upload URL pointing elsewhere, finds
 * no credential and never receives one meant for another server.
 */
export interface ServerUrls {
  apiBaseUrl: string;
  uploadBaseUrl: string;
}

/** The two origins a credential is bound to: the API's and the uploads'. */
export interface ServerOrigins {
  apiOrigin: string;
  uploadOrigin: string;
}

/** The origins of a server's URLs (scheme, host and port; no path). */
export function originsOf(server: ServerUrls): ServerOrigins {
  return { apiOrigin: new URL(server.apiBaseUrl).origin, uploadOrigin: new URL(server.uploadBaseUrl).origin };
}

const serverKey = (server: ServerUrls): string => {
  const { apiOrigin, uploadOrigin } = originsOf(server);
  return `${apiOrigin} ${uploadOrigin}`;
};

/** A pasted developer token (or any access token) for this server. */
export const developerTokenKey = (server: ServerUrls): string => `token ${serverKey(server)}`;

/** The OAuth 2.0 sign-in (access and refresh token, as JSON) for this server. */
export const signInKey = (server: ServerUrls): string => `sign-in ${serverKey(server)}`;

/** The person's own Box app: `{clientId, clientSecret}` as JSON. */
export const OWN_BOX_APP_KEY = 'own-box-app';
