import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { describe, it } from 'node:test';
import { BoxClient, BoxDeveloperTokenAuth } from 'box-node-sdk';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

/** Box's own Node SDK (v10), pointed at localbox only by its base URLs. */
function sdkClient(localbox: { url: string; token: string }): BoxClient {
  return new BoxClient({ auth: new BoxDeveloperTokenAuth({ token: localbox.token }) }).withCustomBaseUrls({
    baseUrl: localbox.url,
    uploadUrl: `${localbox.url}/api`,
    oauth2Url: `${localbox.url}/api/oauth2`,
  });
}

describe('box-node-sdk v10 against localbox', () => {
  for (const sizeBytes of [21_000_000, 100_000_000]) {
    it(`uploadBigFile completes for ${sizeBytes / 1e6} MB and getFileById reports its SHA-1`, async (t) => {
      const localbox = await localboxFor(t);
      const dir = await tempDir(t);
      const file = await writePatternFile(dir, `sdk-${sizeBytes}.bin`, sizeBytes, sizeBytes);
      const client = sdkClient(localbox);
      const uploaded = await client.chunkedUploads.uploadBigFile(
        createReadStream(file.path),
        `sdk-${sizeBytes}.bin`,
        sizeBytes,
        '0',
      );
      assert.equal(uploaded.sha1, file.sha1);
      const info = await client.files.getFileById(uploaded.id);
      assert.equal(info.sha1, file.sha1);
      assert.equal(info.size, sizeBytes);
      assert.equal(info.name, `sdk-${sizeBytes}.bin`);
    });
  }

  it('uploads a small file with the SDK’s preflight-then-upload path', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'small.txt', 5000, 9);
    const client = sdkClient(localbox);
    const uploaded = await client.uploads.uploadWithPreflightCheck({
      attributes: { name: 'small.txt', size: 5000, parent: { id: '0' } },
      file: createReadStream(file.path),
    });
    assert.equal(uploaded.entries?.[0]?.sha1, file.sha1);
  });

  it('creates and lists folders with the SDK', async (t) => {
    const localbox = await localboxFor(t);
    const client = sdkClient(localbox);
    const folder = await client.folders.createFolder({ name: 'From SDK', parent: { id: '0' } });
    const items = await client.folders.getFolderItems('0');
    assert.deepEqual(
      items.entries?.map((entry) => entry.id),
      [folder.id],
    );
  });
});
