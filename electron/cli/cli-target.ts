import { join } from 'node:path';
import { FixedTokenSource, type TokenSource } from '../box/token-source.ts';
import { serverTarget, type UploadTarget } from '../host/uploads.ts';
import {
  envCredentialsElsewhere,
  envCredentialsOrigin,
  notSignedIn,
  readTokenFile,
  serverUrls,
  storedTokenSource,
} from './cli-sign-in.ts';
import { CliError, describeFsError, UsageError } from './usage-error.ts';

export interface TargetFlags {
  'api-url'?: string | undefined;
  'upload-url'?: string | undefined;
  token?: string | undefined;
  'token-file'?: string | undefined;
}

export type CliTarget = UploadTarget;

/**
 * Where `hoist upload` and `hoist resume` send files. With --api-url: that server, with the token
 * from --token or --token-file, else HOIST_TOKEN when that server is the one it is for (the one
 * HOIST_API_URL names, else Box), else the sign-in `hoist login` stored for that very origin (a
 * sign-in for another server is never used). Without: the embedded localbox, started in
 * this process with its data under the state directory, which is what a new user gets.
 */
export async function openTarget(flags: TargetFlags, stateDir: string, env = process.env): Promise<CliTarget> {
  const apiUrl = flags['api-url'];
  if (apiUrl === undefined) {
    if (flags['upload-url'] !== undefined) throw new UsageError('--upload-url needs --api-url');
    for (const flag of ['token', 'token-file'] as const) {
      if (flags[flag] !== undefined) {
        throw new UsageError(`--${flag} needs --api-url (without it, files go to the embedded localbox)`);
      }
    }
    // Loaded only here: an upload to a server (--api-url) never loads localbox (~100 kB of code).
    const { openEmbeddedTarget } = await import('../host/embedded-target.ts');
    return openEmbeddedTarget(stateDir, 'the embedded localbox').catch((error: NodeJS.ErrnoException) => {
      throw new CliError(
        `cannot start the embedded localbox in ${join(stateDir, 'localbox')}: ${describeFsError(error)}`,
      );
    });
  }
  const urls = serverUrls(flags);
  if (flags.token !== undefined && flags['token-file'] !== undefined) {
    throw new UsageError('give the token once: --token or --token-file, not both');
  }
  // A token on the command line is explicit and goes where --api-url says; HOIST_TOKEN only to its own server.
  const given = flags.token ?? (flags['token-file'] !== undefined ? readTokenFile(flags['token-file']) : undefined);
  const fromEnv = env['HOIST_TOKEN'] || undefined;
  const envApplies =
    given === undefined && fromEnv !== undefined && envCredentialsOrigin(env) === new URL(urls.api).origin;
  const token = given ?? (envApplies ? fromEnv : undefined);
  let tokens: TokenSource | undefined = token ? new FixedTokenSource(token) : undefined;
  tokens ??= storedTokenSource(stateDir, urls);
  if (!tokens) {
    const why =
      fromEnv !== undefined ? `; ${envCredentialsElsewhere('HOIST_TOKEN', env, urls.api)}, or pass --token` : '';
    throw new UsageError(`${notSignedIn(urls.api)}${why}`);
  }
  return serverTarget({ apiBaseUrl: urls.api, uploadBaseUrl: urls.upload }, tokens);
}
