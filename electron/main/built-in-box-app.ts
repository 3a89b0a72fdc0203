/**
 * The Box app (OAuth 2.0 client ID and secret) built into this copy of Hoist by whoever
 * distributes it: `HOIST_BOX_CLIENT_ID=... HOIST_BOX_CLIENT_SECRET=... npm run build` puts them in
 * the main bundle (build/scripts/build-app.ts defines these two names). Box has no PKCE and wants
 * the secret for every token request, so a distributed desktop app necessarily carries it
 * (box-api.md section 12). Built without them, sign-in needs the person's own app.
 */
declare const __HOIST_BOX_CLIENT_ID__: string | undefined;
declare const __HOIST_BOX_CLIENT_SECRET__: string | undefined;

export function builtInBoxApp(): { clientId: string; clientSecret: string } | undefined {
  // typeof: unbundled (type checks, tests importing main's modules) the names do not exist.
  const clientId = typeof __HOIST_BOX_CLIENT_ID__ === 'string' ? __HOIST_BOX_CLIENT_ID__.trim() : '';
  const clientSecret = typeof __HOIST_BOX_CLIENT_SECRET__ === 'string' ? __HOIST_BOX_CLIENT_SECRET__.trim() : '';
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}
