import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BoxClient, type BoxClientOptions } from '../box/box-client.ts';
import { sendDirect } from '../box/http-transport.ts';
import { FixedTokenSource } from '../box/token-source.ts';
import { startLocalbox, type LocalboxOptions } from '../localbox/localbox.ts';
import type { UploadTarget } from './uploads.ts';

/** Traffic shaping and part size for the embedded localbox (slow links in demos and tests); its data and token are set here. */
export type EmbeddedLocalboxOptions = Pick<LocalboxOptions, 'latencyMs' | 'connBandwidthBytesPerSec' | 'partSize'>;

/**
 * The default target of the app and the CLI: localbox in this process on 127.0.0.1, a random
 * token for this run, its data under `<stateDir>/localbox` so uploads survive restarts.
 * (Its own module, so a process that uploads to a server never loads localbox.)
 */
export async function openEmbeddedTarget(
  stateDir: string,
  label: string,
  shaping: EmbeddedLocalboxOptions = {},
  clientOptions: BoxClientOptions = {},
): Promise<UploadTarget> {
  const localbox = await startLocalbox({
    ...shaping,
    dataDir: join(stateDir, 'localbox'),
    token: randomBytes(24).toString('base64url'),
  });
  const client = new BoxClient(
    { apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` },
    new FixedTokenSource(localbox.token),
    // In this very process on loopback: never through a proxy, whatever the system or HTTP_PROXY say.
    { ...clientOptions, send: sendDirect },
  );
  return { client, label, localbox, close: () => localbox.stop() };
}
