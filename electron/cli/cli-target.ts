import { join } from 'node:path';
import { defaultUploadUrl } from '../../shared/box-urls.ts';
import { serverUrlProblem } from '../../shared/server-url.ts';
import { BoxClient } from '../box/box-client.ts';
import { FixedTokenSource } from '../box/token-source.ts';
import type { LocalboxHandle } from '../localbox/localbox.ts';
import { openEmbeddedLocalbox } from '../service/embedded-target.ts';
import { CliError, describeFsError, UsageError } from './usage-error.ts';

export interface TargetFlags {
  'api-url'?: string | undefined;
  'upload-url'?: string | undefined;
  token?: string | undefined;
}

export interface CliTarget {
  client: BoxClient;
  /** What to call it in messages: "the embedded localbox" or the API host. */
  label: string;
  /** Set when uploads go to the embedded localbox. */
  localbox?: LocalboxHandle;
  close(): Promise<void>;
}

/** The app's rule for server URLs (shared/server-url.ts): https, or http to this machine only. */
function checkUrl(flag: string, value: string): string {
  const problem = serverUrlProblem(value);
  if (problem) throw new UsageError(`--${flag} ${problem}, not "${value}"`);
  return value.replace(/\/+$/, '');
}

/**
 * Where `hoist upload` and `hoist resume` send files. With --api-url: that server, with the token
 * from --token or HOIST_TOKEN. Without: the embedded localbox, started in this process with its
 * data under the state directory, which is what a new user gets.
 */
export async function openTarget(flags: TargetFlags, stateDir: string, env = process.env): Promise<CliTarget> {
  const apiUrl = flags['api-url'];
  if (apiUrl === undefined) {
    if (flags['upload-url'] !== undefined) throw new UsageError('--upload-url needs --api-url');
    const { localbox, client } = await openEmbeddedLocalbox(stateDir).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(
        `cannot start the embedded localbox in ${join(stateDir, 'localbox')}: ${describeFsError(error)}`,
      );
    });
    return {
      client,
      label: 'the embedded localbox',
      localbox,
      close: () => localbox.stop(),
    };
  }
  const api = checkUrl('api-url', apiUrl);
  const upload =
    flags['upload-url'] === undefined ? defaultUploadUrl(api) : checkUrl('upload-url', flags['upload-url']);
  const token = flags.token ?? env['HOIST_TOKEN'];
  if (!token) throw new UsageError('a token is needed with --api-url: pass --token or set HOIST_TOKEN');
  return {
    client: new BoxClient({ apiBaseUrl: api, uploadBaseUrl: upload }, new FixedTokenSource(token)),
    label: new URL(api).host,
    close: async () => undefined,
  };
}
