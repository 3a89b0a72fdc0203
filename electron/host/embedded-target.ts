import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BoxClient, type BoxClientOptions } from '../box/box-client.ts';
import { FixedTokenSource } from '../box/token-source.ts';
import { startLocalbox, type LocalboxHandle, type LocalboxOptions } from '../localbox/localbox.ts';

export type EmbeddedLocalboxOptions = Pick<LocalboxOptions, 'latencyMs' | 'connBandwidthBytesPerSec' | 'partSize'>;

/**
 * The default target of the app and the CLI: localbox in this process on 127.0.0.1, a random
 * token for this run, its data under `<stateDir>/localbox` so uploads survive restarts.
 */
export async function openEmbeddedLocalbox(
  stateDir: string,
  shaping: EmbeddedLocalboxOptions = {},
  clientOptions: BoxClientOptions = {},
): Promise<{ localbox: LocalboxHandle; client: BoxClient }> {
  const localbox = await startLocalbox({
    ...shaping,
    dataDir: join(stateDir, 'localbox'),
    token: randomBytes(24).toString('base64url'),
  });
  const client = new BoxClient(
    { apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` },
    new FixedTokenSource(localbox.token),
    clientOptions,
  );
  return { localbox, client };
}
