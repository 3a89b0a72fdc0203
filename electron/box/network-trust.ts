import {
  createSecureContext,
  getCACertificates,
  rootCertificates,
  type PeerCertificate,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';

/**
 * Which certificate authorities Hoist trusts for Box: Node's bundled ones, NODE_EXTRA_CA_CERTS,
 * and with `withSystem` the operating system's store (where a company adds the CA its
 * TLS-inspecting proxy signs with). Node 22.15+ reads the OS store with
 * `tls.getCACertificates('system')`; an older runtime has Node's default only. Undefined: Node's
 * default as it is (nothing to add).
 */
export function trustedCertificates(extraPem: readonly string[], withSystem: boolean): string[] | undefined {
  if (typeof getCACertificates !== 'function')
    return extraPem.length > 0 ? [...rootCertificates, ...extraPem] : undefined;
  if (!withSystem && extraPem.length === 0) return undefined;
  // 'default' is the bundled list plus NODE_EXTRA_CA_CERTS (and the OS store under --use-system-ca).
  return [...new Set([...getCACertificates('default'), ...(withSystem ? systemCertificates() : []), ...extraPem])];
}

/** Whether this runtime can read the OS store at all (else there is nothing more to trust). */
export const systemStoreReadable = (): boolean => typeof getCACertificates === 'function';

function systemCertificates(): string[] {
  try {
    return getCACertificates('system');
  } catch {
    return []; // an unreadable OS store must not stop uploads to servers Node's list trusts
  }
}

const contexts = new Map<string, SecureContext | undefined>();

/**
 * One TLS context per set of trusted CAs, made on first use and kept: reading the OS store costs
 * about 150 ms on Linux (hundreds of files), so it is read only once a server's certificate
 * failed against Node's own list (see createHttpSend), never per connection or at start.
 */
export function secureContextFor(extraPem: readonly string[] = [], withSystem = false): SecureContext | undefined {
  const key = `${withSystem}\n${extraPem.join('\n')}`;
  if (!contexts.has(key)) {
    const ca = trustedCertificates(extraPem, withSystem);
    contexts.set(key, ca ? createSecureContext({ ca }) : undefined);
  }
  return contexts.get(key);
}

/** The server's certificate did not pass: names the host and, where known, who issued it. */
export class CertificateError extends Error {
  readonly code: string;
  readonly host: string;
  constructor(code: string, host: string, message: string) {
    super(message);
    this.name = 'CertificateError';
    this.code = code;
    this.host = host;
  }

  /** The chain ends at an authority not trusted (rather than expired, or for another name). */
  get untrusted(): boolean {
    return UNTRUSTED.has(this.code);
  }
}

const PEER = Symbol('hoist.peerCertificate');
type WithPeer = { [PEER]?: PeerCertificate };

/**
 * Keeps the certificate chain a server presented on the errors of its socket, so a refused
 * certificate can be named. 'secure' fires when the handshake is done, before Node checks the
 * chain (and destroys the socket if it fails), so a listener put first still sees the chain.
 */
export function notePeerCertificate(socket: TLSSocket): TLSSocket {
  let peer: PeerCertificate | undefined;
  socket.prependListener('secure', () => {
    try {
      peer = socket.getPeerCertificate(true);
    } catch {
      peer = undefined;
    }
  });
  socket.prependListener('error', (error: Error & WithPeer) => {
    if (peer && typeof error === 'object') error[PEER] = peer;
  });
  return socket;
}

/** OpenSSL's codes for a chain that ends at an authority this computer does not trust. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);
const OTHER_CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
]);

const nameOf = (cert: PeerCertificate): string => {
  const fields = cert.subject ?? {};
  return String(fields.CN ?? fields.O ?? fields.OU ?? 'an unnamed authority');
};

/** The certificate at the top of the chain the server sent: its issuer is the one not trusted. */
function topOf(peer: PeerCertificate): PeerCertificate {
  let cert = peer as PeerCertificate & { issuerCertificate?: PeerCertificate };
  for (let depth = 0; depth < 10 && cert.issuerCertificate && cert.issuerCertificate !== cert; depth++) {
    const next = cert.issuerCertificate as PeerCertificate & { issuerCertificate?: PeerCertificate };
    if (next.fingerprint256 === cert.fingerprint256) break;
    cert = next;
  }
  return cert;
}

const issuerName = (cert: PeerCertificate): string => {
  const fields = cert.issuer ?? {};
  return String(fields.CN ?? fields.O ?? fields.OU ?? 'an unnamed authority');
};

/** A TLS failure as one sentence naming the host and the issuer; undefined when it is no certificate problem. */
export function certificateErrorFrom(
  error: NodeJS.ErrnoException & WithPeer,
  host: string,
): CertificateError | undefined {
  const code = error.code ?? '';
  if (!UNTRUSTED.has(code) && !OTHER_CERTIFICATE_CODES.has(code)) return undefined;
  const peer = error[PEER];
  const leaf = peer && Object.keys(peer).length > 0 ? peer : undefined;
  const of = `The certificate of ${host}`;
  if (UNTRUSTED.has(code)) {
    if (!leaf)
      return new CertificateError(
        code,
        host,
        `${of} is not trusted: it was issued by an authority this computer does not trust`,
      );
    const top = topOf(leaf);
    const issuer = issuerName(top);
    const selfSigned = code === 'DEPTH_ZERO_SELF_SIGNED_CERT';
    return new CertificateError(
      code,
      host,
      selfSigned
        ? `${of} is not trusted: it is self-signed ('${nameOf(leaf)}'), and this computer does not trust it`
        : `${of} is not trusted: issued by '${issuer}', which this computer does not trust`,
    );
  }
  if (code === 'CERT_HAS_EXPIRED')
    return new CertificateError(code, host, `${of} expired${leaf?.valid_to ? ` on ${leaf.valid_to}` : ''}`);
  if (code === 'CERT_NOT_YET_VALID')
    return new CertificateError(
      code,
      host,
      `${of} is not valid yet${leaf?.valid_from ? ` (from ${leaf.valid_from})` : ''}`,
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return new CertificateError(
      code,
      host,
      `${of} is for other names${leaf?.subjectaltname ? ` (${leaf.subjectaltname})` : ''}`,
    );
  return new CertificateError(
    code,
    host,
    `${of} was refused (${code})${leaf ? `; it was issued by '${issuerName(leaf)}'` : ''}`,
  );
}
