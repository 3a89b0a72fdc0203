import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { BoxClient } from '../../../electron/box/box-client.ts';
import { parseStoredPart } from '../../../electron/box/box-types.ts';
import { FixedTokenSource } from '../../../electron/box/token-source.ts';
import { forwardingProxy } from '../../helpers/capture-server.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { createSession, putAllParts } from '../../helpers/manual-upload.ts';
import { patternBytes, sha1Base64 } from '../../helpers/test-files.ts';

const FILE_BYTES = 20_000_001;

/** A commit answered 202 through a proxy that sets its retry-after to `retryAfter`. */
async function acceptedCommit(t: TestContext, retryAfter: string) {
  const localbox = await localboxFor(t, { partSize: 8 * 1024 * 1024 });
  const proxy = await forwardingProxy(t, localbox.url, { retryAfter });
  const data = patternBytes(FILE_BYTES, 3);
  const session = await createSession(localbox, 'settling.bin', FILE_BYTES);
  const parts = await putAllParts(localbox, session, data);
  localbox.faults.add({ on: 'commit', action: { kind: 'accepted', retryAfterSeconds: 1 } });
  const client = new BoxClient(
    { apiBaseUrl: proxy.url, uploadBaseUrl: `${proxy.url}/api` },
    new FixedTokenSource(localbox.token),
  );
  const commitUrl = new URL(new URL(session.session_endpoints.commit).pathname, proxy.url).toString();
  return client.commitUploadSession({
    url: commitUrl,
    parts: parts.map(parseStoredPart),
    sha1Base64: sha1Base64(data),
  });
}

describe("a 202 commit's retry-after (seconds or an HTTP date, RFC 9110)", () => {
  it('an empty retry-after means "not said" (the caller waits its default), not 0 ms', async (t) => {
    const outcome = await acceptedCommit(t, '');
    assert.equal(outcome.kind, 'accepted');
    assert.equal(outcome.kind === 'accepted' ? outcome.retryAfterMs : -1, undefined);
  });

  it('an HTTP date is read as the time until then', async (t) => {
    const outcome = await acceptedCommit(t, new Date(Date.now() + 120_000).toUTCString());
    assert.equal(outcome.kind, 'accepted');
    const waitMs = outcome.kind === 'accepted' ? (outcome.retryAfterMs ?? -1) : -1;
    assert.ok(waitMs > 60_000 && waitMs <= 120_000, `waits until the date, not the default (${waitMs} ms)`);
  });
});
