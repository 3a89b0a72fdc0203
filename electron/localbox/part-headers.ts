import { badRequest, LocalboxError } from './localbox-error.ts';

export interface ContentRange {
  firstByte: number;
  lastByte: number;
  totalBytes: number;
}

/** Parses `Content-Range: bytes <first>-<last>/<total>`; a malformed header is a 400. */
export function parseContentRange(header: string | undefined): ContentRange {
  if (header === undefined) throw badRequest('Missing Content-Range header');
  const match = /^bytes (\d{1,16})-(\d{1,16})\/(\d{1,16})$/.exec(header.trim());
  if (!match) throw badRequest(`Content-Range header is malformed: "${header.slice(0, 80)}"`);
  const [firstByte, lastByte, totalBytes] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (lastByte < firstByte) {
    throw new LocalboxError(
      416,
      'requested_range_not_satisfiable',
      `Content-Range ${firstByte}-${lastByte} is inverted`,
    );
  }
  return { firstByte, lastByte, totalBytes };
}

export type DigestAlgorithm = 'sha1' | 'sha256';

export interface PartDigest {
  algorithm: DigestAlgorithm;
  /** The digest bytes, decoded from base64. */
  value: Buffer;
}

const ALGORITHMS: Record<string, DigestAlgorithm> = { sha: 'sha1', 'sha-1': 'sha1', 'sha-256': 'sha256' };
const LENGTHS: Record<DigestAlgorithm, number> = { sha1: 20, sha256: 32 };

/**
 * Parses an RFC 3230 `Digest` header. Box documents `sha=<base64>`; its web uploader sends
 * `sha-256=`, the legacy Node SDK `SHA=`. Algorithm names compare case-insensitively.
 */
export function parseDigest(header: string | undefined): PartDigest {
  if (header === undefined) throw badRequest('Missing Digest header');
  for (const item of header.split(',')) {
    const at = item.indexOf('=');
    if (at < 0) continue;
    const algorithm = ALGORITHMS[item.slice(0, at).trim().toLowerCase()];
    if (!algorithm) continue;
    const encoded = item.slice(at + 1).trim();
    const value = Buffer.from(encoded, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || value.length !== LENGTHS[algorithm]) {
      throw badRequest(`Digest header value is not a base64 ${algorithm.toUpperCase()} digest`);
    }
    return { algorithm, value };
  }
  throw badRequest(`Digest header has no supported algorithm (sha, sha-1, sha-256): "${header.slice(0, 80)}"`);
}
