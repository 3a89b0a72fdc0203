import { readFileSync } from 'node:fs';
import { BOX_API_URL, defaultUploadUrl } from '../../shared/box-urls.ts';
import { printable } from '../../shared/printable.ts';
import { serverPairProblem, serverUrlProblem } from '../../shared/server-url.ts';
import { FileTokenStore, signInFileFor } from '../box/oauth/file-token-store.ts';
import type { OAuthApp } from '../box/oauth/oauth-client.ts';
import { oauthEndpointsFor } from '../box/oauth/oauth-endpoints.ts';
import { OAuthTokenSource } from '../box/oauth/oauth-token-source.ts';
import { CliError, describeFsError, UsageError } from './usage-error.ts';

/**
 * A server URL without its trailing slash, by the app's rule (shared/server-url.ts): https, or
 * http to this machine only; otherwise a usage error naming the flag.
 */
export function checkUrl(flag: string, value: string): string {
  const problem = serverUrlProblem(value);
  if (problem) throw new UsageError(`--${flag} ${problem}, not "${value}"`);
  return value.replace(/\/+$/, '');
}

export interface ServerUrls {
  api: string;
  upload: string;
}

/** --api-url (default Box) and --upload-url (default: Box's upload host, or <api>/api). */
export function serverUrls(flags: { 'api-url'?: string | undefined; 'upload-url'?: string | undefined }): ServerUrls {
  const api = checkUrl('api-url', flags['api-url'] ?? BOX_API_URL);
  const upload =
    flags['upload-url'] === undefined ? defaultUploadUrl(api) : checkUrl('upload-url', flags['upload-url']);
  const problem = serverPairProblem(api, upload);
  if (problem) throw new UsageError(`--upload-url ${problem}`);
  return { api, upload };
}

/** The sign-in file for a server in the state directory. */
export function signInStore(stateDir: string, api: string): FileTokenStore {
  return new FileTokenStore(signInFileFor(stateDir, new URL(api).origin));
}

/** As long as the CLI waits for an unreachable server (cli-session.ts). */
const CLI_SIGN_IN_WAIT_MS = 15 * 60_000;

export const notSignedIn = (api: string): string => `not signed in to ${api}: run hoist login --api-url ${api}`;

/**
 * The stored sign-in for a server as a token source for the CLI: refreshed as needed, the rotated
 * refresh token saved first; when the sign-in ends, jobs wait for `hoist login` (another terminal).
 */
export function storedTokenSource(stateDir: string, urls: ServerUrls): OAuthTokenSource | undefined {
  const store = signInStore(stateDir, urls.api);
  const signIn = store.load();
  if (store.problem) throw new CliError(`${store.problem}: run hoist login --api-url ${urls.api}`);
  if (!signIn) return undefined;
  const uploadOrigin = new URL(urls.upload).origin;
  if (signIn.uploadOrigin !== uploadOrigin) {
    throw new CliError(
      `the sign-in for ${urls.api} is for uploads to ${signIn.uploadOrigin}, not ${uploadOrigin}: run hoist login --api-url ${urls.api} --upload-url ${urls.upload}`,
    );
  }
  const app = store.app();
  if (!app) throw new CliError(`the sign-in for ${urls.api} does not name its Box app: run hoist login again`);
  const subject = store.clientCredentialsSubject();
  return new OAuthTokenSource({
    endpoints: oauthEndpointsFor(urls.api),
    app,
    store,
    // A sign-in that ends mid-upload is waited for (hoist login in another terminal wakes the
    // jobs), as long as the CLI waits for a server that went away; then the jobs stop, kept for resume.
    signInWaitMs: CLI_SIGN_IN_WAIT_MS,
    storeReloadMs: 1000,
    onSaveError: (error) =>
      process.stderr.write(
        `${printable(`hoist: warning: could not save the sign-in for ${urls.api}: ${error.message}; you may need to run hoist login again`)}\n`,
      ),
    ...(subject ? { clientCredentialsSubject: subject } : {}),
  });
}

/** A developer token from a file (keeps it out of the process listing): its first line, trimmed. */
export function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the token file ${path}: ${describeFsError(error as NodeJS.ErrnoException)}`, 2);
  }
  const token = text.split(/\r?\n/, 1)[0]?.trim() ?? '';
  if (!token) throw new CliError(`the token file ${path} is empty`, 2);
  return token;
}

/**
 * The server the environment's credentials (HOIST_TOKEN, HOIST_CLIENT_ID / HOIST_CLIENT_SECRET)
 * belong to, as an origin: the one HOIST_API_URL names, else Box. Like GH_TOKEN and
 * GH_ENTERPRISE_TOKEN, a credential in a shell profile is for one server: an --api-url pointing
 * anywhere else never receives it.
 */
export function envCredentialsOrigin(env: NodeJS.ProcessEnv): string {
  const named = env['HOIST_API_URL'];
  if (!named) return new URL(BOX_API_URL).origin;
  const problem = serverUrlProblem(named);
  if (problem) throw new UsageError(`HOIST_API_URL ${problem}, not "${named}"`);
  return new URL(named).origin;
}

/** Why a credential from the environment was left out for this server: a clause for an error. */
export function envCredentialsElsewhere(names: string, env: NodeJS.ProcessEnv, api: string): string {
  const plural = names.includes(' and ');
  const why = env['HOIST_API_URL'] ? 'named by HOIST_API_URL' : 'HOIST_API_URL is not set';
  return (
    `${names} ${plural ? 'were' : 'was'} not used: ${plural ? 'they are' : 'it is'} for ${envCredentialsOrigin(env)}` +
    ` (${why}), not ${new URL(api).origin}; set HOIST_API_URL=${api} to use ${plural ? 'them' : 'it'} there`
  );
}

/**
 * The Box app for hoist login to `api`: --client-id and --client-secret; else HOIST_CLIENT_ID and
 * HOIST_CLIENT_SECRET when `api` is the server they are for (envCredentialsOrigin); else the
 * built-in one (given for Box only).
 */
export function appFrom(
  flags: { 'client-id'?: string | undefined; 'client-secret'?: string | undefined },
  env: NodeJS.ProcessEnv,
  builtIn: OAuthApp | undefined,
  api: string,
): OAuthApp {
  const { 'client-id': flagId, 'client-secret': flagSecret } = flags;
  if (flagId && flagSecret) return { clientId: flagId, clientSecret: flagSecret };
  // Only now is the environment read: a HOIST_API_URL it cannot use must not stop explicit flags.
  const inEnv = Boolean(env['HOIST_CLIENT_ID'] || env['HOIST_CLIENT_SECRET']);
  const envApplies = inEnv && envCredentialsOrigin(env) === new URL(api).origin;
  const clientId = flags['client-id'] ?? (envApplies ? env['HOIST_CLIENT_ID'] : undefined);
  const clientSecret = flags['client-secret'] ?? (envApplies ? env['HOIST_CLIENT_SECRET'] : undefined);
  if (clientId && clientSecret) return { clientId, clientSecret };
  if (!clientId && !clientSecret && builtIn) return builtIn;
  const why =
    inEnv && !envApplies
      ? `; ${envCredentialsElsewhere('HOIST_CLIENT_ID and HOIST_CLIENT_SECRET', env, api)}`
      : ' (or set HOIST_CLIENT_ID and HOIST_CLIENT_SECRET)';
  throw new UsageError(`a Box app is needed to sign in to ${api}: pass --client-id and --client-secret${why}`);
}
