import assert from 'node:assert/strict';
import type { LocalboxHandle } from '../../electron/localbox/localbox.ts';
import { call, type RawResponse } from './localbox-fixture.ts';
import { sha1Base64 } from './test-files.ts';

export interface SessionBody {
  id: string;
  part_size: number;
  total_parts: number;
  session_endpoints: Record<'upload_part' | 'commit' | 'abort' | 'list_parts' | 'status' | 'log_event', string>;
}

type Box = Pick<LocalboxHandle, 'url' | 'token'>;

/** Creates an upload session by hand; asserts 201. */
export async function createSession(
  localbox: Box,
  name: string,
  sizeBytes: number,
  folderId = '0',
): Promise<SessionBody> {
  const response = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
    json: { folder_id: folderId, file_size: sizeBytes, file_name: name },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body as unknown as SessionBody;
}

/** The byte range of part `index` of `data` under `session`. */
export function partRange(session: SessionBody, data: Uint8Array, index: number) {
  const first = index * session.part_size;
  const bytes = data.subarray(first, Math.min(data.length, first + session.part_size));
  return { first, last: first + bytes.length - 1, bytes };
}

/** PUTs part `index` of `data`; extra headers override the computed ones. */
export async function putPart(
  localbox: Box,
  session: SessionBody,
  data: Uint8Array,
  index: number,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const { first, last, bytes } = partRange(session, data, index);
  return call(localbox, 'PUT', session.session_endpoints.upload_part, {
    body: bytes,
    headers: {
      'content-type': 'application/octet-stream',
      'content-range': `bytes ${first}-${last}/${data.length}`,
      digest: `sha=${sha1Base64(bytes)}`,
      ...headers,
    },
  });
}

/** Uploads every part in order; returns the parts as the server answered them. */
export async function putAllParts(localbox: Box, session: SessionBody, data: Uint8Array) {
  const parts: Array<Record<string, unknown>> = [];
  for (let index = 0; index < session.total_parts; index++) {
    const response = await putPart(localbox, session, data, index);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    parts.push(response.body?.['part'] as Record<string, unknown>);
  }
  return parts;
}

export function commit(localbox: Box, session: SessionBody, parts: unknown[], data: Uint8Array, headers = {}) {
  return call(localbox, 'POST', session.session_endpoints.commit, {
    json: { parts },
    headers: { digest: `sha=${sha1Base64(data)}`, ...headers },
  });
}

/** A whole chunked upload by hand; returns the committed file. */
export async function uploadBySession(localbox: Box, name: string, data: Uint8Array, folderId = '0') {
  const session = await createSession(localbox, name, data.length, folderId);
  const parts = await putAllParts(localbox, session, data);
  const committed = await commit(localbox, session, parts, data);
  assert.equal(committed.status, 201, JSON.stringify(committed.body));
  return (committed.body?.['entries'] as Array<Record<string, unknown>>)[0]!;
}

/** A direct (multipart) upload with attributes first. */
export function directUpload(
  localbox: Box,
  attributes: Record<string, unknown>,
  content: Uint8Array,
  options: { path?: string; headers?: Record<string, string>; fileFirst?: boolean } = {},
) {
  const form = new FormData();
  const file = new Blob([content]);
  if (options.fileFirst) form.append('file', file, String(attributes['name'] ?? 'file'));
  form.append('attributes', JSON.stringify(attributes));
  if (!options.fileFirst) form.append('file', file, String(attributes['name'] ?? 'file'));
  return fetch(`${localbox.url}${options.path ?? '/api/2.0/files/content'}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${localbox.token}`, ...options.headers },
    body: form,
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));
}
