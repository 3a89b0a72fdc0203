import { endpointsOn, recordWithSession } from '../helpers/session-record.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxClient } from '../../electron/box/box-client.ts';
import type { HttpRequest } from '../../electron/box/http-transport.ts';
import { FixedTokenSource, TokenOriginError, type TokenSource } from '../../electron/box/token-source.ts';
import { isBoxHost, tokenMayGoTo } from '../../electron/box/token-origins.ts';
import { JobJournal } from '../../electron/engine/journal/job-journal.ts';
import { JournalStore } from '../../electron/engine/journal/journal-store.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const BOX = ['https://api.box.com', 'https://upload.box.com'];
const CUSTOM = ['https://files.example.com', 'https://upload.files.example.com'];
const SESSION_PATH = '/api/2.0/files/upload_sessions/S';

/** Hosts that look like Box's but are not, or are Box's name reached another way. */
const LOOK_ALIKES = [
  'https://box.com.evil.example',
  'https://upload.box.com.evil.example',
  'https://upload.box.com%2eevil.example',
  'https://evilbox.com',
  'https://evil-box.com',
  'https://box.com',
  'http://upload.box.com',
  'http://upload-las.app.box.com',
  'https://upload.box.com:8443',
  'https://upload-las.app.box.com:444',
  'https://upload.box.com@evil.example',
  'https://evil.example\\@upload.box.com',
  'https://user:secret@upload.box.com',
  'https://ùpload.box.com',
  'https://upload.bоx.com', // a Cyrillic "о"
  'https://xn--pload-0ua.box.com',
  'https://upload.box.com.',
  'https://a..box.com',
  'wss://upload.box.com',
  'not a url',
];

describe('where a token may go (token-origins.ts)', () => {
  it('a token issued by Box goes to any https://<name>.box.com on the default port', () => {
    for (const url of [
      'https://api.box.com/2.0/users/me',
      'https://upload.box.com/api/2.0/files/upload_sessions',
      `https://upload-las.app.box.com${SESSION_PATH}`,
      'https://upload.box.com:443/api',
      'https://UPLOAD-LAS.App.Box.com/api',
    ]) {
      assert.ok(tokenMayGoTo(url, BOX), url);
      assert.ok(isBoxHost(url), url);
    }
  });

  it('look-alikes, plain http, other ports, user names and IDN are not Box hosts', () => {
    for (const url of LOOK_ALIKES) {
      assert.equal(isBoxHost(`${url}${SESSION_PATH}`), false, url);
      assert.equal(tokenMayGoTo(`${url}${SESSION_PATH}`, BOX), false, url);
    }
  });

  it('any other server: exactly its own origins, never a Box host', () => {
    assert.ok(tokenMayGoTo('https://files.example.com/2.0/users/me', CUSTOM));
    assert.ok(tokenMayGoTo(`https://upload.files.example.com${SESSION_PATH}`, CUSTOM));
    assert.equal(tokenMayGoTo(`https://other.files.example.com${SESSION_PATH}`, CUSTOM), false);
    assert.equal(tokenMayGoTo(`https://files.example.com:8443${SESSION_PATH}`, CUSTOM), false);
    assert.equal(tokenMayGoTo(`https://upload-las.app.box.com${SESSION_PATH}`, CUSTOM), false);
    assert.equal(tokenMayGoTo(`https://upload.box.com${SESSION_PATH}`, ['http://127.0.0.1:8080']), false);
    // Only Box's API origin over https makes a token Box's: a server on a box.com name is not Box.
    assert.equal(tokenMayGoTo(`https://upload-las.app.box.com${SESSION_PATH}`, ['https://custom.box.com']), false);
    assert.equal(tokenMayGoTo(`https://upload-las.app.box.com${SESSION_PATH}`, ['http://api.box.com']), false);
  });
});

/** A client whose transport records what would have been sent, and answers a session. */
function clientFor(apiBaseUrl: string, uploadBaseUrl: string, tokens: TokenSource = new FixedTokenSource('T')) {
  const sent: string[] = [];
  const send = async (request: HttpRequest) => {
    sent.push(request.url);
    const session = `${new URL(request.url).origin}${SESSION_PATH}`;
    const body = {
      id: 'S',
      type: 'upload_session',
      session_expires_at: '2026-12-01T00:00:00Z',
      part_size: 8,
      total_parts: 1,
      num_parts_processed: 0,
      session_endpoints: {
        upload_part: session,
        commit: `${session}/commit`,
        abort: session,
        list_parts: `${session}/parts`,
        status: session,
      },
    };
    return { status: 200, headers: {}, body: Buffer.from(JSON.stringify(body)) };
  };
  return { client: new BoxClient({ apiBaseUrl, uploadBaseUrl }, tokens, { send }), sent };
}

/** A token bound to these origins, as a stored sign-in is. */
const boundTo = (origins: readonly string[]): TokenSource =>
  Object.assign(new FixedTokenSource('T'), { origins }) as TokenSource;

describe('BoxClient follows the rule', () => {
  it('for Box, a session on upload-las.app.box.com gets the token; look-alikes get nothing', async () => {
    const { client, sent } = clientFor('https://api.box.com', 'https://upload.box.com/api', boundTo(BOX));
    await client.getUploadSession(`https://upload-las.app.box.com${SESSION_PATH}`);
    assert.deepEqual(sent, [`https://upload-las.app.box.com${SESSION_PATH}`]);
    for (const url of LOOK_ALIKES.filter((each) => URL.canParse(each))) {
      await assert.rejects(client.getUploadSession(`${url}${SESSION_PATH}`), TokenOriginError, url);
    }
    assert.equal(sent.length, 1, 'nothing more was sent');
  });

  it('a custom server’s session elsewhere is refused, on Box’s hosts too', async () => {
    const { client, sent } = clientFor('https://files.example.com', 'https://files.example.com/api', boundTo(CUSTOM));
    await assert.rejects(client.getUploadSession(`https://upload-las.app.box.com${SESSION_PATH}`), /refused/);
    await assert.rejects(client.getUploadSession(`https://upload.box.com${SESSION_PATH}`), /refused/);
    assert.deepEqual(sent, []);
  });

  it('a Box token with a changed target, or another server’s token with Box as target, goes nowhere new', async () => {
    const toCustom = clientFor('https://files.example.com', 'https://files.example.com/api', boundTo(BOX));
    await assert.rejects(toCustom.client.getCurrentUser(), /refused to send the access token to https:\/\/files/);
    await assert.rejects(toCustom.client.getUploadSession(`https://upload-las.app.box.com${SESSION_PATH}`), /refused/);
    const toBox = clientFor('https://api.box.com', 'https://upload.box.com/api', boundTo(CUSTOM));
    await assert.rejects(toBox.client.getUploadSession(`https://upload-las.app.box.com${SESSION_PATH}`), /refused/);
    await assert.rejects(toBox.client.getCurrentUser(), /refused/);
    assert.deepEqual([...toCustom.sent, ...toBox.sent], []);
  });
});

const BOX_TARGET = {
  kind: 'custom' as const,
  apiBaseUrl: 'https://api.box.com',
  uploadBaseUrl: 'https://upload.box.com/api',
};
const CUSTOM_TARGET = {
  kind: 'custom' as const,
  apiBaseUrl: 'https://files.example.com',
  uploadBaseUrl: 'https://files.example.com/api',
};

const endpointsAt = (origin: string) => endpointsOn(origin, SESSION_PATH);

/** Journals a job whose session is on `origin`, then restores it as the next run would. */
async function restoredSession(t: { after(cleanup: () => unknown): void }, target: typeof BOX_TARGET, origin: string) {
  const dir = await tempDir(t);
  const journal = new JobJournal(JournalStore.open(dir), { target, keepFailed: 'resumable' });
  const record = recordWithSession(endpointsAt(origin));
  record.reportTo(journal);
  journal.stateChanged(record, 'queued');
  journal.sessionChanged(record);
  journal.flush();
  const store = JournalStore.open(dir);
  const [restored] = new JobJournal(store, { target, keepFailed: 'resumable' }).restore();
  return { session: restored?.record.session, problems: store.problems.map((problem) => problem.message) };
}

describe('the journal follows the rule for restored sessions', () => {
  it('a Box target keeps a session on upload-las.app.box.com', async (t) => {
    const { session, problems } = await restoredSession(t, BOX_TARGET, 'https://upload-las.app.box.com');
    assert.equal(session?.endpoints.uploadPart, `https://upload-las.app.box.com${SESSION_PATH}`);
    assert.deepEqual(problems, []);
  });

  it('a Box target refuses a session on another domain', async (t) => {
    const { session, problems } = await restoredSession(t, BOX_TARGET, 'https://upload-las.app.box.com.evil.example');
    assert.equal(session, undefined);
    assert.deepEqual(problems, [
      "the journal's upload session for /data/a.bin pointed at https://upload-las.app.box.com.evil.example, not at https://api.box.com and https://upload.box.com (and Box's other https://*.box.com hosts); it was not used and the file uploads anew",
    ]);
  });

  it('a custom server refuses a session on a Box host', async (t) => {
    const { session, problems } = await restoredSession(t, CUSTOM_TARGET, 'https://upload-las.app.box.com');
    assert.equal(session, undefined);
    assert.match(
      problems[0] ?? '',
      /pointed at https:\/\/upload-las\.app\.box\.com, not at https:\/\/files\.example\.com;/,
    );
  });
});
