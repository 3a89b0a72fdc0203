import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { BoxClient, BoxDeveloperTokenAuth } from 'box-node-sdk';
import { BoxApiError } from 'box-node-sdk/box/errors';
import type { UploadPart } from 'box-node-sdk/schemas/uploadPart';
import type { UploadSession } from 'box-node-sdk/schemas/uploadSession';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { patternBytes, sha1Hex } from '../../helpers/test-files.ts';

/** Box's own Node SDK (v10), pointed at localbox only by its base URLs. */
function sdkClient(localbox: { url: string; token: string }): BoxClient {
  return new BoxClient({ auth: new BoxDeveloperTokenAuth({ token: localbox.token }) }).withCustomBaseUrls({
    baseUrl: localbox.url,
    uploadUrl: `${localbox.url}/api`,
    oauth2Url: `${localbox.url}/api/oauth2`,
  });
}

/** The error object as the SDK parsed it from the answer's body. */
const body = (error: BoxApiError): Record<string, unknown> => error.responseInfo.body as Record<string, unknown>;

const sha1Base64 = (data: Uint8Array): string => createHash('sha1').update(data).digest('base64');

/**
 * The manual chunked flow of Box's own SDK test (box-node-sdk `chunkedUploads` test): every call
 * by the URLs the session names, each part checked against Box's echo, then commit.
 */
async function uploadPartsByUrl(client: BoxClient, session: UploadSession, data: Buffer): Promise<UploadPart[]> {
  const parts: UploadPart[] = [];
  const partSize = session.partSize!;
  for (let offset = 0; offset < data.length; offset += partSize) {
    const chunk = data.subarray(offset, Math.min(data.length, offset + partSize));
    const uploaded = await client.chunkedUploads.uploadFilePartByUrl(
      session.sessionEndpoints!.uploadPart!,
      Readable.from([chunk]),
      {
        digest: `sha=${sha1Base64(chunk)}`,
        contentRange: `bytes ${offset}-${offset + chunk.length - 1}/${data.length}`,
      },
    );
    assert.equal(uploaded.part?.offset, offset);
    assert.equal(uploaded.part?.sha1, sha1Hex(chunk));
    parts.push(uploaded.part!);
  }
  return parts;
}

describe('box-node-sdk v10 manual chunked flow against localbox', () => {
  it('creates, uploads parts, lists, commits and aborts right after committing, as Box’s SDK test does', async (t) => {
    const localbox = await localboxFor(t);
    const client = sdkClient(localbox);
    const data = patternBytes(20 * 1024 * 1024, 61);
    const session = await client.chunkedUploads.createFileUploadSession({
      folderId: '0',
      fileSize: data.length,
      fileName: 'sdk-manual.bin',
    });
    assert.equal(session.numPartsProcessed, 0);
    assert.ok(session.partSize! * session.totalParts! >= data.length);
    const parts = await uploadPartsByUrl(client, session, data);
    const listed = await client.chunkedUploads.getFileUploadSessionPartsByUrl(session.sessionEndpoints!.listParts!);
    assert.equal(listed.totalCount, session.totalParts);
    const status = await client.chunkedUploads.getFileUploadSessionByUrl(session.sessionEndpoints!.status!);
    assert.equal(status.numPartsProcessed, session.totalParts);
    const committed = await client.chunkedUploads.createFileUploadSessionCommitByUrl(
      session.sessionEndpoints!.commit!,
      { parts },
      { digest: `sha=${sha1Base64(data)}` },
    );
    assert.equal(committed?.entries?.[0]?.sha1, sha1Hex(data));
    // Box's SDK test aborts right after committing and expects no error.
    await client.chunkedUploads.deleteFileUploadSessionByUrl(session.sessionEndpoints!.abort!);
    const file = await client.files.getFileById(committed!.entries![0]!.id);
    assert.equal(file.sha1, sha1Hex(data), 'the committed file stays');
  });

  it('uploads a new version through a session for an existing file', async (t) => {
    const localbox = await localboxFor(t);
    const client = sdkClient(localbox);
    const first = await client.uploads.uploadFile({
      attributes: { name: 'versioned.bin', parent: { id: '0' } },
      file: Readable.from([patternBytes(1000, 62)]),
    });
    const fileId = first.entries![0]!.id;
    const data = patternBytes(20_000_001, 63);
    const session = await client.chunkedUploads.createFileUploadSessionForExistingFile(fileId, {
      fileSize: data.length,
    });
    const parts = await uploadPartsByUrl(client, session, data);
    const committed = await client.chunkedUploads.createFileUploadSessionCommitByUrl(
      session.sessionEndpoints!.commit!,
      { parts },
      { digest: `sha=${sha1Base64(data)}` },
    );
    assert.equal(committed?.entries?.[0]?.id, fileId);
    assert.equal((await client.files.getFileById(fileId)).sha1, sha1Hex(data));
  });

  it('reads localbox’s error objects as Box’s: status, code, context_info and request id', async (t) => {
    const localbox = await localboxFor(t);
    const client = sdkClient(localbox);
    const data = patternBytes(20_000_001, 64);
    const session = await client.chunkedUploads.createFileUploadSession({
      folderId: '0',
      fileSize: data.length,
      fileName: 'errors.bin',
    });
    const small = await client.chunkedUploads
      .createFileUploadSession({ folderId: '0', fileSize: 1000, fileName: 'small.bin' })
      .catch((error: unknown) => error);
    assert.ok(small instanceof BoxApiError);
    assert.equal(small.responseInfo.statusCode, 400);
    // The SDK keeps `code` and `requestId` as JSON text ('"file_size_too_small"'); the body is parsed.
    assert.equal(body(small)['code'], 'file_size_too_small');
    assert.equal(small.responseInfo.code, '"file_size_too_small"');
    assert.match(String(body(small)['request_id']), /^[0-9a-f]+$/);
    const chunk = data.subarray(0, session.partSize!);
    const putFirstPart = () =>
      client.chunkedUploads.uploadFilePartByUrl(session.sessionEndpoints!.uploadPart!, Readable.from([chunk]), {
        digest: `sha=${sha1Base64(chunk)}`,
        contentRange: `bytes 0-${chunk.length - 1}/${data.length}`,
      });
    await putFirstPart();
    const overlap = await putFirstPart().catch((error: unknown) => error);
    assert.ok(overlap instanceof BoxApiError);
    assert.equal(overlap.responseInfo.statusCode, 416);
    assert.equal(body(overlap)['code'], 'range_overlaps_existing_part');
    assert.equal(overlap.responseInfo.contextInfo?.['conflicting_part']?.['sha1'], sha1Hex(chunk));
    localbox.faults.add({ on: 'create-session', action: { kind: 'session-conflict' } });
    const conflict = await client.chunkedUploads
      .createFileUploadSession({ folderId: '0', fileSize: data.length, fileName: 'errors.bin' })
      .catch((error: unknown) => error);
    assert.ok(conflict instanceof BoxApiError);
    assert.equal(body(conflict)['code'], 'session_conflict');
    assert.equal(conflict.responseInfo.contextInfo?.['session']?.['id'], session.id);
  });
});
