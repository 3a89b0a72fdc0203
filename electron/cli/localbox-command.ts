import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startLocalbox } from '../localbox/localbox.ts';
import { parsePartSizeOption } from '../localbox/part-size-rule.ts';
import { parseSessionEndpointBase } from '../localbox/session-endpoint-base.ts';
import { CliError, describeFsError, UsageError, wholeNumberFlag } from './usage-error.ts';

export const LOCALBOX_USAGE = `hoist localbox [--port N] [--data DIR] [--token T] [--latency-ms N]
               [--conn-bandwidth BYTES_PER_SEC] [--total-bandwidth BYTES_PER_SEC]
               [--upload-requests-per-minute N] [--part-size BYTES|box] [--admin-routes] [--host NAME]...
               [--client-id ID] [--client-secret S] [--access-token-ttl SECONDS] [--redirect-uri URI...]
               [--space-amount BYTES] [--space-used BYTES] [--max-upload-size BYTES]
               [--tls-cert FILE --tls-key FILE] [--session-endpoint-base URL]`;

/** Tokens and client credentials go on command lines and in headers: printable ASCII, no spaces. */
function printableFlag(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && !/^[\x21-\x7e]+$/.test(value)) {
    throw new UsageError(`--${name} must be printable ASCII without spaces`);
  }
  return value;
}

function redirectUriFlag(value: string): string {
  try {
    new URL(value);
  } catch {
    throw new UsageError(`--redirect-uri must be an absolute URI, not "${value}"`);
  }
  return value;
}

/** --tls-cert and --tls-key: both or neither; each a PEM file read now, so a bad one is named at start. */
function tlsFlags(
  certFile: string | undefined,
  keyFile: string | undefined,
): { cert: Buffer; key: Buffer } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) throw new UsageError('--tls-cert and --tls-key go together');
  const read = (flag: string, file: string): Buffer => {
    let pem: Buffer;
    try {
      pem = readFileSync(file);
    } catch (error) {
      throw new CliError(`--${flag} ${file}: ${describeFsError(error as NodeJS.ErrnoException)}`);
    }
    if (!pem.includes('-----BEGIN ')) throw new CliError(`--${flag} ${file}: not a PEM file`);
    return pem;
  };
  return { cert: read('tls-cert', certFile), key: read('tls-key', keyFile) };
}

/**
 * `hoist localbox`: serves the Box upload API and Box's OAuth 2.0 endpoints on 127.0.0.1. Prints
 * one JSON line {"url","token","clientId","clientSecret"} when ready and runs until SIGINT or SIGTERM.
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
      'total-bandwidth': { type: 'string' },
      'upload-requests-per-minute': { type: 'string' },
      'part-size': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'access-token-ttl': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'space-amount': { type: 'string' },
      'space-used': { type: 'string' },
      'max-upload-size': { type: 'string' },
      'admin-routes': { type: 'boolean' },
      host: { type: 'string', multiple: true },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'session-endpoint-base': { type: 'string' },
    },
  });
  const tls = tlsFlags(values['tls-cert'], values['tls-key']);
  const port = wholeNumberFlag('port', values.port);
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, not ${port}`);
  printableFlag('token', values.token);
  const clientId = printableFlag('client-id', values['client-id']);
  const clientSecret = printableFlag('client-secret', values['client-secret']);
  const accessTokenTtlSeconds = wholeNumberFlag('access-token-ttl', values['access-token-ttl'], { min: 1 });
  const redirectUris = (values['redirect-uri'] ?? []).map(redirectUriFlag);
  const user = {
    spaceAmountBytes: wholeNumberFlag('space-amount', values['space-amount']),
    spaceUsedBytes: wholeNumberFlag('space-used', values['space-used']),
    maxUploadSizeBytes: wholeNumberFlag('max-upload-size', values['max-upload-size']),
  };
  let partSize;
  try {
    partSize = parsePartSizeOption(values['part-size']);
  } catch (error) {
    throw new UsageError(`--part-size: ${(error as Error).message}`);
  }
  const bandwidth = wholeNumberFlag('conn-bandwidth', values['conn-bandwidth'], { min: 1 });
  const totalBandwidth = wholeNumberFlag('total-bandwidth', values['total-bandwidth'], { min: 1 });
  const uploadRequestsPerMinute = wholeNumberFlag('upload-requests-per-minute', values['upload-requests-per-minute'], {
    min: 1,
  });
  const latencyMs = wholeNumberFlag('latency-ms', values['latency-ms']);
  const sessionEndpointBase = values['session-endpoint-base'];
  if (sessionEndpointBase !== undefined) {
    try {
      parseSessionEndpointBase(sessionEndpointBase);
    } catch (error) {
      throw new UsageError(`--session-endpoint-base: ${(error as Error).message}`);
    }
  }
  const localbox = await startLocalbox({
    ...(tls ? { tls } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.data !== undefined ? { dataDir: values.data } : {}),
    ...(values.token !== undefined ? { token: values.token } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(bandwidth !== undefined ? { connBandwidthBytesPerSec: bandwidth } : {}),
    ...(totalBandwidth !== undefined ? { totalBandwidthBytesPerSec: totalBandwidth } : {}),
    ...(uploadRequestsPerMinute !== undefined ? { uploadRequestsPerMinute } : {}),
    partSize,
    ...(clientId !== undefined ? { clientId } : {}),
    ...(clientSecret !== undefined ? { clientSecret } : {}),
    ...(accessTokenTtlSeconds !== undefined ? { accessTokenTtlSeconds } : {}),
    ...(redirectUris.length > 0 ? { redirectUris } : {}), // given, they replace the default
    user: Object.fromEntries(Object.entries(user).filter(([, value]) => value !== undefined)),
    adminRoutes: values['admin-routes'] ?? false,
    hostNames: values.host ?? [],
    ...(sessionEndpointBase !== undefined ? { sessionEndpointBase } : {}),
  }).catch((error: Error) => {
    // A certificate that does not match its key, or is not one: one sentence, not a stack.
    if (tls && /key|cert|PEM|asn1/i.test(error.message))
      throw new CliError(`--tls-cert/--tls-key: the certificate and key cannot be used (${error.message})`);
    throw error;
  });
  const ready = {
    url: localbox.url,
    token: localbox.token,
    clientId: localbox.clientId,
    clientSecret: localbox.clientSecret,
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  await new Promise<void>((stop) => {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await localbox.stop();
  return 0;
}
