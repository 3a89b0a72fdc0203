import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestAuthority {
  /** The CA's certificate (PEM), to trust. */
  caPem: string;
  caFile: string;
  /** A server certificate for its names (default 127.0.0.1 and localhost) signed by the CA, and its key (PEM). */
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

const openssl = (args: string[]): void => {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
};

/** The names of Box's hosts Hoist talks to (and 127.0.0.1), for a stand-in serving them all. */
export const BOX_HOST_NAMES = 'DNS:api.box.com,DNS:upload.box.com,DNS:*.app.box.com,IP:127.0.0.1';

/**
 * A certificate authority made for one test with openssl (EC keys, a day long), and a server
 * certificate it signed for `altNames` (a subjectAltName list; default 127.0.0.1 and localhost).
 * `name` is the CA's common name.
 */
export function makeTestAuthority(dir: string, name: string, altNames = 'IP:127.0.0.1,DNS:localhost'): TestAuthority {
  const file = (suffix: string): string => join(dir, `${name.replace(/\W+/g, '-')}-${suffix}`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const [caKey, caFile, keyFile, certFile] = [file('ca.key'), file('ca.pem'), file('server.key'), file('server.pem')];
  openssl(['req', '-x509', ...ec, '-keyout', caKey, '-out', caFile, '-days', '1', '-subj', `/CN=${name}`]);
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-CA',
    caFile,
    '-CAkey',
    caKey,
    '-addext',
    `subjectAltName=${altNames}`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
  ]);
  return {
    caPem: readFileSync(caFile, 'utf8'),
    caFile,
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    certFile,
    keyFile,
  };
}
