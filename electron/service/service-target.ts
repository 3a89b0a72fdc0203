import { serverPairProblem, serverUrlProblem } from '../../shared/server-url.ts';
import { sameServer, type TargetSetting } from '../../shared/settings-model.ts';
import type { BoxClientOptions } from '../box/box-client.ts';
import { openEmbeddedTarget, type EmbeddedLocalboxOptions } from '../host/embedded-target.ts';
import { serverTarget, type UploadTarget } from '../host/uploads.ts';
import type { ServerAccount } from './server-account.ts';
import type { TargetAccounts } from './target-accounts.ts';

export type { EmbeddedLocalboxOptions };

/** An upload target as the app holds it: with the server's account, which the CLI does not need. */
export interface ServiceTarget extends UploadTarget {
  /** Set for a custom server: its credential (a sign-in or a token), kept for it alone. */
  account: ServerAccount | undefined;
}

/**
 * Where the app uploads: with no account configured, localbox in this process on 127.0.0.1 with a
 * random token and its data under the app's data directory; otherwise the configured server
 * with the credential stored for that server (jobs wait for sign-in if there is none).
 */
export async function openServiceTarget(
  setting: TargetSetting,
  accounts: TargetAccounts,
  stateDir: string,
  embedded: EmbeddedLocalboxOptions = {},
  clientOptions: BoxClientOptions = {},
): Promise<ServiceTarget> {
  if (setting.kind === 'embedded') {
    const target = await openEmbeddedTarget(stateDir, 'Embedded local Box', embedded, clientOptions);
    return { ...target, account: undefined };
  }
  for (const url of [setting.apiBaseUrl, setting.uploadBaseUrl]) {
    const problem = serverUrlProblem(String(url));
    if (problem) throw new Error(`the URL "${String(url).slice(0, 200)}" ${problem}`);
  }
  const pairProblem = serverPairProblem(setting.apiBaseUrl, setting.uploadBaseUrl);
  if (pairProblem) throw new Error(pairProblem);
  const account = accounts.accountFor(setting);
  const { apiBaseUrl, uploadBaseUrl } = setting;
  return { ...serverTarget({ apiBaseUrl, uploadBaseUrl }, account.tokens, clientOptions), account };
}

/** Whether two target settings name the same server (shared sameServer): a change between them is no change of target. */
export const sameTargetSetting = (a: TargetSetting, b: TargetSetting): boolean => sameServer(a, b);
