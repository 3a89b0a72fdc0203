import type { OAuthApp } from './oauth-client.ts';

/**
 * The Box app a distributor of Hoist supplies: `HOIST_BOX_CLIENT_ID` and `HOIST_BOX_CLIENT_SECRET`
 * at build time (the app's bundler replaces these `process.env` reads with the values), or in the
 * environment when Hoist runs from source. A client secret shipped in an app is not secret (Box
 * has no PKCE, box-api.md section 12); it only names the app. Undefined when none was supplied.
 */
export function bundledBoxApp(): OAuthApp | undefined {
  // Written as plain property reads so a bundler's `define` can replace them.
  const clientId = process.env.HOIST_BOX_CLIENT_ID;
  const clientSecret = process.env.HOIST_BOX_CLIENT_SECRET;
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}
