import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BoxClient } from '../box/box-client.ts';
import { SignInRequiredError } from '../box/oauth/oauth-client.ts';
import { formatBytes } from '../../shared/format.ts';
import { printable } from '../../shared/printable.ts';
import { notSignedIn, serverUrls, signInStore, storedTokenSource } from './cli-sign-in.ts';
import { defaultStateDir } from './state-dir.ts';
import { CliError } from './usage-error.ts';

export const WHOAMI_USAGE = 'hoist whoami [--api-url URL] [--state-dir DIR] [--json]';
export const LOGOUT_USAGE = 'hoist logout [--api-url URL] [--state-dir DIR]';

const OPTIONS = {
  'api-url': { type: 'string' },
  'upload-url': { type: 'string' },
  'state-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `hoist whoami`: the account signed in on a server, with its space; exit 1 when none. */
export async function whoamiCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, allowPositionals: false, options: OPTIONS });
  const urls = serverUrls(values);
  const stateDir = resolve(values['state-dir'] ?? defaultStateDir());
  const tokens = storedTokenSource(stateDir, urls);
  if (!tokens) throw new CliError(notSignedIn(urls.api));
  const client = new BoxClient({ apiBaseUrl: urls.api, uploadBaseUrl: urls.upload }, tokens);
  let account;
  try {
    account = await client.getCurrentUser();
  } catch (error) {
    if (error instanceof SignInRequiredError)
      throw new CliError(`${error.message}: run hoist login --api-url ${urls.api}`);
    throw new CliError(`cannot ask ${urls.api} who is signed in: ${(error as Error).message}`);
  }
  const summary = {
    login: account.login,
    name: account.name,
    spaceUsed: account.spaceUsedBytes ?? null,
    spaceAmount: account.spaceAmountBytes ?? null,
    maxUploadSize: account.maxUploadSizeBytes ?? null,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const space =
      account.spaceUsedBytes !== undefined && account.spaceAmountBytes !== undefined
        ? `; ${formatBytes(account.spaceUsedBytes)} of ${formatBytes(account.spaceAmountBytes)} used`
        : '';
    const max =
      account.maxUploadSizeBytes !== undefined ? `; files up to ${formatBytes(account.maxUploadSizeBytes)}` : '';
    // The name and login are the server's words: a control character in them must not reach the terminal.
    process.stdout.write(
      `${printable(account.name)} (${printable(account.login)}) on ${new URL(urls.api).host}${space}${max}\n`,
    );
  }
  return 0;
}

/** `hoist logout`: revokes the tokens on the server (best effort) and deletes them here. */
export async function logoutCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, allowPositionals: false, options: OPTIONS });
  const urls = serverUrls(values);
  const stateDir = resolve(values['state-dir'] ?? defaultStateDir());
  const store = signInStore(stateDir, urls.api);
  const stored = store.load();
  const tokens = stored ? storedTokenSource(stateDir, { api: urls.api, upload: stored.uploadOrigin }) : undefined;
  if (!tokens) {
    await store.clear();
    process.stdout.write(`not signed in to ${urls.api}\n`);
    return 0;
  }
  await tokens.signOut();
  process.stdout.write(`Signed out of ${new URL(urls.api).host}.\n`);
  return 0;
}
