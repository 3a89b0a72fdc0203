import { parseArgs } from 'node:util';
import { startLocalbox } from '../localbox/localbox.ts';
import { parsePartSizeOption } from '../localbox/part-size-rule.ts';
import { UsageError, wholeNumberFlag } from './usage-error.ts';

export const LOCALBOX_USAGE = `hoist localbox [--port N] [--data DIR] [--token T] [--latency-ms N]
               [--conn-bandwidth BYTES_PER_SEC] [--part-size BYTES|box] [--admin-routes]
               [--host NAME]...`;

/**
 * `hoist localbox`: serves the Box upload API on 127.0.0.1. Prints one JSON line
 * {"url","token"} when ready and runs until SIGINT or SIGTERM.
 */
export async function localboxCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      token: { type: 'string' },
      'latency-ms': { type: 'string' },
      'conn-bandwidth': { type: 'string' },
      'part-size': { type: 'string' },
      'admin-routes': { type: 'boolean' },
      host: { type: 'string', multiple: true },
    },
  });
  const port = wholeNumberFlag('port', values.port);
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, not ${port}`);
  if (values.token !== undefined && !/^[\x21-\x7e]+$/.test(values.token)) {
    throw new UsageError('--token must be printable ASCII without spaces');
  }
  let partSize;
  try {
    partSize = parsePartSizeOption(values['part-size']);
  } catch (error) {
    throw new UsageError(`--part-size: ${(error as Error).message}`);
  }
  const bandwidth = wholeNumberFlag('conn-bandwidth', values['conn-bandwidth'], { min: 1 });
  const latencyMs = wholeNumberFlag('latency-ms', values['latency-ms']);
  const localbox = await startLocalbox({
    ...(port !== undefined ? { port } : {}),
    ...(values.data !== undefined ? { dataDir: values.data } : {}),
    ...(values.token !== undefined ? { token: values.token } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(bandwidth !== undefined ? { connBandwidthBytesPerSec: bandwidth } : {}),
    partSize,
    adminRoutes: values['admin-routes'] ?? false,
    hostNames: values.host ?? [],
  });
  process.stdout.write(`${JSON.stringify({ url: localbox.url, token: localbox.token })}\n`);
  await new Promise<void>((stop) => {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await localbox.stop();
  return 0;
}
