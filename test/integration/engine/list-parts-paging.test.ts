import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxClient } from '../../../electron/box/box-client.ts';
import { parseUploadSession } from '../../../electron/box/box-types.ts';
import { FixedTokenSource } from '../../../electron/box/token-source.ts';
import { findStoredPart, listAllParts } from '../../../electron/engine/session-parts.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { createSession, putPart } from '../../helpers/manual-upload.ts';
import { patternBytes } from '../../helpers/test-files.ts';

const PART_BYTES = 1024 * 1024;

describe('listing a session’s parts when the server pages fewer than asked', () => {
  it('follows the pages to total_count, as Box’s spec allows a smaller maximum per page', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    // Box: the answer's limit is the one asked "unless that value exceeded the maximum value
    // allowed. The maximum value varies by API." Here the maximum is 3 entries a page.
    localbox.setAnswers({ listPartsPageMax: 3 });
    const data = patternBytes(20_000_001, 41);
    const session = await createSession(localbox, 'paged.bin', data.length);
    const stored = [0, 1, 2, 3, 4, 5, 6, 9, 12, 19];
    for (const index of stored) assert.equal((await putPart(localbox, session, data, index)).status, 200);
    const client = new BoxClient(
      { apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` },
      new FixedTokenSource(localbox.token),
    );
    const parts = await listAllParts(client, parseUploadSession(session));
    assert.deepEqual(
      parts.map((part) => part.offsetBytes / PART_BYTES),
      stored,
      'every stored part, across four pages of three',
    );
    // A part stored after a gap is found on a later page, not given up on after the first.
    const found = await findStoredPart(client, session.session_endpoints.list_parts, {
      index: 19,
      offset: 19 * PART_BYTES,
    });
    assert.equal(found?.offsetBytes, 19 * PART_BYTES);
  });

  it('keeps a query Box’s list_parts URL carries when it adds offset and limit', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES });
    const data = patternBytes(20_000_001, 42);
    const session = await createSession(localbox, 'query.bin', data.length);
    for (const index of [0, 1, 2, 3]) assert.equal((await putPart(localbox, session, data, index)).status, 200);
    const client = new BoxClient(
      { apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` },
      new FixedTokenSource(localbox.token),
    );
    // A query Box might put on the URL (localbox ignores it): appending "?offset=" after it would
    // hide offset inside the other parameter's value, and the server would start at entry 0.
    const page = await client.listParts(`${session.session_endpoints.list_parts}?region=las`, { offset: 2, limit: 1 });
    assert.equal(page.offset, 2);
    assert.deepEqual(
      page.entries.map((part) => part.offsetBytes),
      [2 * PART_BYTES],
    );
  });
});
