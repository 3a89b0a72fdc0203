import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { BoxClient } from '../../../electron/box/box-client.ts';
import { createHttpSend } from '../../../electron/box/http-transport.ts';
import { oauthEndpointsFor } from '../../../electron/box/oauth/oauth-endpoints.ts';
import { OAuthTokenSource } from '../../../electron/box/oauth/oauth-token-source.ts';
import { MemoryTokenStore } from '../../../electron/box/oauth/token-store.ts';
import { UploadQueue } from '../../../electron/engine/upload-queue.ts';
import type { LocalboxHandle, LocalboxOptions } from '../../../electron/localbox/localbox.ts';
import { startRoutingProxy, type RoutingProxy } from '../../helpers/connect-proxy.ts';
import { waitForState } from '../../helpers/engine-fixture.ts';
import { jsonLines, killHard, runHoist, startHoist } from '../../helpers/hoist-process.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { BOX_HOST_NAMES, makeTestAuthority, type TestAuthority } from '../../helpers/test-ca.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

/**
 * Box's own API description serves the upload session calls from `https://{box-upload-server}/api/2.0`
 * (a variable host) and its preflight answers with upload-las.app.box.com: a session Box opens may
 * name another Box host than upload.box.com. Here localbox answers that way, and Hoist talks to
 * Box's real host names: a CONNECT proxy (standing in for DNS) takes every *.box.com tunnel to
 * localbox over https, with a certificate for Box's names from a test CA the client is told to
 * trust, through the same options the app and the CLI use.
 */

const SESSION_HOST = 'upload-las.app.box.com';
const SESSION_BASE = `https://${SESSION_HOST}/api/2.0`;
// Above the 20,000,000-byte direct-upload limit: an upload session with parts.
const FILE_BYTES = 21_000_000;
const PART_BYTES = 1024 * 1024;

interface BoxStand {
  dir: string;
  authority: TestAuthority;
  localbox: LocalboxHandle;
  proxy: RoutingProxy;
}

const isBoxName = (host: string): boolean => host.endsWith('.box.com');

async function boxStand(t: TestContext, options: LocalboxOptions = {}): Promise<BoxStand> {
  const dir = await tempDir(t);
  const authority = makeTestAuthority(dir, 'Hoist Box Hosts CA', BOX_HOST_NAMES);
  const localbox = await localboxFor(t, {
    partSize: PART_BYTES,
    tls: { cert: authority.cert, key: authority.key },
    hostNames: ['api.box.com', 'upload.box.com'],
    sessionEndpointBase: SESSION_BASE,
    ...options,
  });
  const proxy = await startRoutingProxy(t, Number(new URL(localbox.url).port), isBoxName);
  return { dir, authority, localbox, proxy };
}

/** A hoist run's environment: the routing proxy in HTTPS_PROXY, the test CA in NODE_EXTRA_CA_CERTS. */
function cliEnv(s: BoxStand): Record<string, string> {
  const cleared = Object.fromEntries(
    ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY'].flatMap((name) => [
      [name, ''],
      [name.toLowerCase(), ''],
    ]),
  );
  return { ...cleared, HOIST_TOKEN: '', HTTPS_PROXY: s.proxy.url, NODE_EXTRA_CA_CERTS: s.authority.caFile };
}

const doneSha1 = (stdout: string): unknown => jsonLines(stdout).find((event) => event['event'] === 'done')?.['sha1'];

const sessionsCreated = (s: BoxStand): number => s.localbox.stats().requestsByOperation['create-session'] ?? 0;

describe('Box answers a session on another of its hosts (upload-las.app.box.com)', () => {
  it('a sign-in bound to api.box.com and upload.box.com uploads through it, and Box holds the right SHA-1', async (t) => {
    const s = await boxStand(t);
    const send = createHttpSend({
      proxyFor: () => ({ kind: 'proxy', url: new URL(s.proxy.url), source: 'the test' }),
      extraCaPem: [s.authority.caPem],
    });
    // A stored sign-in as Box's would be: bound to Box's two origins (localbox accepts the token).
    const tokens = new OAuthTokenSource({
      endpoints: oauthEndpointsFor('https://api.box.com'),
      app: { clientId: 'id', clientSecret: 'secret' },
      store: new MemoryTokenStore({
        accessToken: s.localbox.token,
        refreshToken: undefined,
        expiresAtMs: Date.now() + 3_600_000,
        apiOrigin: 'https://api.box.com',
        uploadOrigin: 'https://upload.box.com',
      }),
    });
    const client = new BoxClient(
      { apiBaseUrl: 'https://api.box.com', uploadBaseUrl: 'https://upload.box.com/api' },
      tokens,
      { send },
    );
    const queue = new UploadQueue({ client, random: () => 0 });
    t.after(() => queue.shutdown());
    const file = await writePatternFile(s.dir, 'las.bin', FILE_BYTES, 1701);
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
    const view = await waitForState(queue, job, ['done', 'failed']);
    assert.equal(view.state, 'done', JSON.stringify(view.error));
    assert.equal((await client.getFile(view.fileId!)).sha1, file.sha1, 'Box holds the right SHA-1');
    assert.ok(s.localbox.stats().partsStored >= Math.ceil(FILE_BYTES / PART_BYTES), 'the parts went to the session');
    assert.ok(s.proxy.connects.includes(`${SESSION_HOST}:443`), 'the session calls went to the session host');
    assert.ok(s.proxy.connects.includes('upload.box.com:443'), 'the session was made on upload.box.com');
    assert.ok(
      s.proxy.connects.every((target) => isBoxName(target.replace(/:443$/, ''))),
      'only Box hosts',
    );
  });

  it('hoist upload --api-url https://api.box.com with a token: the session on upload-las.app.box.com completes', async (t) => {
    const s = await boxStand(t);
    const file = await writePatternFile(s.dir, 'cli-las.bin', FILE_BYTES, 1702);
    const run = await runHoist(
      [
        'upload',
        file.path,
        '--api-url',
        'https://api.box.com',
        '--token',
        s.localbox.token,
        '--state-dir',
        s.dir,
        '--json',
      ],
      cliEnv(s),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(doneSha1(run.stdout), file.sha1);
    assert.ok(s.proxy.connects.includes(`${SESSION_HOST}:443`), 'the session calls went to the session host');
    assert.equal(sessionsCreated(s), 1);
  });

  /** An upload killed part way, its journal holding the session on upload-las.app.box.com. */
  async function interrupted(t: TestContext, seed: number) {
    const s = await boxStand(t, { connBandwidthBytesPerSec: 2_000_000 });
    const file = await writePatternFile(s.dir, `resume-${seed}.bin`, FILE_BYTES, seed);
    const args = ['--api-url', 'https://api.box.com', '--token', s.localbox.token, '--state-dir', s.dir, '--json'];
    const upload = startHoist(t, ['upload', file.path, ...args, '--parallel', '2'], cliEnv(s));
    await until(() => s.localbox.stats().partsStored >= 2, 'some parts stored', 60_000);
    await killHard(upload);
    const journalPath = join(s.dir, 'journal', 'jobs.json');
    const journal = await readFile(journalPath, 'utf8');
    assert.ok(journal.includes(`${SESSION_BASE}/files/upload_sessions/`), 'the journal holds the session URLs');
    return { s, file, journalPath, journal, resume: () => runHoist(['resume', ...args], cliEnv(s)) };
  }

  it('a resumed journal with the session on upload-las.app.box.com is used for Box', async (t) => {
    const { s, file, resume } = await interrupted(t, 1703);
    const storedBefore = s.localbox.stats().partsStored;
    const resumed = await resume();
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.doesNotMatch(resumed.stdout + resumed.stderr, /was not used/);
    assert.equal(doneSha1(resumed.stdout), file.sha1);
    assert.equal(sessionsCreated(s), 1, 'the journal’s session was carried on, not made anew');
    assert.ok(storedBefore >= 2);
  });

  it('a journal edited to send the session to another domain is not followed: the file uploads anew', async (t) => {
    const { s, file, journalPath, journal, resume } = await interrupted(t, 1704);
    const elsewhere = `https://${SESSION_HOST}.evil.example`;
    await writeFile(journalPath, journal.replaceAll(`https://${SESSION_HOST}/`, `${elsewhere}/`));
    const resumed = await resume();
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(
      resumed.stdout + resumed.stderr,
      /pointed at https:\/\/upload-las\.app\.box\.com\.evil\.example, not at https:\/\/api\.box\.com and https:\/\/upload\.box\.com.*it was not used/,
    );
    assert.equal(doneSha1(resumed.stdout), file.sha1);
    assert.equal(sessionsCreated(s), 2, 'a new session');
    assert.ok(!s.proxy.connects.some((target) => target.includes('evil')), 'nothing was sent there');
  });
});
