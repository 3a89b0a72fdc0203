import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isFixedToken, type LocalboxContext } from '../../../electron/localbox/localbox-context.ts';
import { startLocalbox } from '../../../electron/localbox/localbox.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { createSession, putPart } from '../../helpers/manual-upload.ts';
import { rawExchange, rawUntilServerCloses, statusOf } from '../../helpers/raw-socket.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { until } from '../../helpers/wait-until.ts';

const hostOf = (url: string): string => new URL(url).host;

/** A request's head, as a client would write it. */
const head = (lines: string[]): string => `${lines.join('\r\n')}\r\n\r\n`;

describe('localbox inside the app: hardened', () => {
  it('serves no /_localbox/ controls unless asked to', async (t) => {
    const plain = await localboxFor(t, { adminRoutes: false });
    for (const [method, path] of [
      ['GET', '/_localbox/stats'],
      ['POST', '/_localbox/faults'],
      ['POST', '/_localbox/token'],
      ['POST', '/_localbox/expire-sessions'],
    ] as const) {
      const response = await call(plain, method, path, method === 'POST' ? { json: { token: 'mine' } } : {});
      assert.equal(response.status, 404, `${method} ${path}`);
    }
    assert.equal((await call(plain, 'GET', '/2.0/folders/0')).status, 200, 'the token still works');
    const testing = await localboxFor(t, { adminRoutes: true });
    assert.equal((await call(testing, 'GET', '/_localbox/stats')).status, 200);
  });

  it('answers a request without the token with 401 before reading its body, and closes', async (t) => {
    const localbox = await localboxFor(t);
    const { answer, closedByServer } = await rawUntilServerCloses(localbox.url, [
      head([
        'PUT /api/2.0/files/upload_sessions/0123456789ABCDEF0123456789ABCDEF HTTP/1.1',
        `host: ${hostOf(localbox.url)}`,
        'content-type: application/octet-stream',
        'content-length: 1000000000',
      ]),
    ]);
    assert.equal(statusOf(answer), 401);
    assert.ok(closedByServer, 'the server did not wait for a gigabyte it will never use');
  });

  it('refuses Host names other than loopback and the configured ones (DNS rebinding)', async (t) => {
    const localbox = await localboxFor(t, { hostNames: ['Hoist.Example'] });
    const get = (host: string) =>
      rawExchange(localbox.url, [
        head([
          'GET /2.0/folders/0 HTTP/1.1',
          `host: ${host}`,
          `authorization: Bearer ${localbox.token}`,
          'connection: close',
        ]),
      ]);
    const port = new URL(localbox.url).port;
    const refused = await get(`evil.example:${port}`);
    assert.equal(statusOf(refused), 403);
    assert.match(refused, /answers only requests addressed to this machine, not to \\?"evil\.example\\?"/);
    assert.equal(statusOf(await get(`127.0.0.1.evil.example:${port}`)), 403);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `hoist.example:${port}`])
      assert.equal(statusOf(await get(host)), 200, host);
  });

  it('checks the Host the request was sent with, whatever host its path or request line names', async (t) => {
    const localbox = await localboxFor(t);
    const port = new URL(localbox.url).port;
    const get = (target: string, host: string) =>
      rawExchange(localbox.url, [
        head([
          `GET ${target} HTTP/1.1`,
          `host: ${host}`,
          `authorization: Bearer ${localbox.token}`,
          'connection: close',
        ]),
      ]);
    for (const target of ['//127.0.0.1/2.0/folders/0', `http://127.0.0.1:${port}/2.0/folders/0`])
      assert.equal(statusOf(await get(target, `evil.example:${port}`)), 403, target);
    assert.equal(
      statusOf(await get('//127.0.0.1/2.0/folders/0', `127.0.0.1:${port}`)),
      404,
      'a path of "//" is no route',
    );
    assert.equal(statusOf(await get('/2.0/folders/0', `127.0.0.1:${port}`)), 200);
  });

  it('refuses a malformed Host as sent, instead of taking this machine’s address in its place', async (t) => {
    const localbox = await localboxFor(t);
    const port = new URL(localbox.url).port;
    for (const host of [`rebind_x.evil.example:${port}`, `evil.example:${port}/x`, `127.0.0.1:${port}@evil.example`]) {
      const answer = await rawExchange(localbox.url, [
        head([
          'GET /2.0/folders/0 HTTP/1.1',
          `host: ${host}`,
          `authorization: Bearer ${localbox.token}`,
          'connection: close',
        ]),
      ]);
      assert.equal(statusOf(answer), 403, host);
      assert.match(answer, /answers only requests addressed to this machine/, host);
    }
  });

  it('answers a wrong Host, an unknown endpoint and a wrong method before reading the body, and closes', async (t) => {
    const localbox = await localboxFor(t);
    const large = (requestLine: string, host = hostOf(localbox.url)) =>
      rawUntilServerCloses(localbox.url, [
        head([
          requestLine,
          `host: ${host}`,
          `authorization: Bearer ${localbox.token}`,
          'content-type: application/octet-stream',
          'content-length: 1000000000',
        ]),
      ]);
    for (const [requestLine, host, status] of [
      ['PUT /2.0/no-such-endpoint HTTP/1.1', undefined, 404],
      ['DELETE /api/2.0/files/content HTTP/1.1', undefined, 405],
      ['POST /api/2.0/files/content HTTP/1.1', 'evil.example', 403],
    ] as const) {
      const { answer, closedByServer } = await large(requestLine, host);
      assert.equal(statusOf(answer), status, requestLine);
      assert.ok(closedByServer, `${requestLine}: the server did not wait for a gigabyte it will never use`);
    }
  });

  it('drops a client whose headers do not arrive in time', async (t) => {
    const localbox = await localboxFor(t, { headersTimeoutMs: 300 });
    const { answer, closedByServer } = await rawUntilServerCloses(localbox.url, [
      `GET /2.0/folders/0 HTTP/1.1\r\nhost: ${hostOf(localbox.url)}\r\n`,
    ]);
    assert.ok(closedByServer);
    assert.equal(statusOf(answer), 408);
  });

  it('drops a connection whose body stops moving', async (t) => {
    const localbox = await localboxFor(t, { idleTimeoutMs: 300, partSize: 5_242_881 });
    const session = await createSession(localbox, 'stalled.bin', 21_000_000);
    const { closedByServer } = await rawUntilServerCloses(localbox.url, [
      head([
        `PUT /api/2.0/files/upload_sessions/${session.id} HTTP/1.1`,
        `host: ${hostOf(localbox.url)}`,
        `authorization: Bearer ${localbox.token}`,
        'content-type: application/octet-stream',
        'content-range: bytes 0-5242880/21000000',
        'digest: sha=AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        'content-length: 5242881',
      ]),
      Buffer.alloc(1000),
    ]);
    assert.ok(closedByServer);
  });

  it('compares tokens whole, whatever their length', () => {
    const context = { token: 'secret' } as LocalboxContext;
    assert.ok(isFixedToken(context, 'Bearer secret'));
    for (const presented of [undefined, '', 'Bearer secre', 'Bearer secret ', 'bearer secret', 'Bearer SECRET'])
      assert.ok(!isFixedToken(context, presented), String(presented));
  });

  it('keeps its data directory 0700 and its files 0600', { skip: process.platform === 'win32' }, async (t) => {
    const dataDir = join(await tempDir(t), 'data');
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    const localbox = await localboxFor(t, { dataDir, partSize: 5_242_881 });
    const session = await createSession(localbox, 'private.bin', 21_000_000);
    assert.equal((await putPart(localbox, session, Buffer.alloc(21_000_000, 7), 0)).status, 200);
    await call(localbox, 'POST', '/2.0/folders', { json: { name: 'Private', parent: { id: '0' } } });
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
    const entries = await readdir(dataDir, { recursive: true, withFileTypes: true });
    assert.ok(entries.some((entry) => entry.isFile()));
    for (const entry of entries) {
      const mode = (await stat(join(entry.parentPath, entry.name))).mode & 0o777;
      assert.equal(mode, entry.isDirectory() ? 0o700 : 0o600, join(entry.parentPath, entry.name));
    }
  });
});

describe('localbox cleans up after sessions nobody will finish', () => {
  it('deletes the parts of expired sessions at start and periodically; the session still answers 410', async (t) => {
    const dataDir = await tempDir(t);
    const data = Buffer.alloc(21_000_000, 3);
    const partFiles = (sessionId: string) =>
      readdirSync(join(dataDir, 'sessions', sessionId)).filter((name) => name.endsWith('.part'));
    const first = await startLocalbox({ dataDir, token: 't', partSize: 5_242_881, sweepIntervalMs: 60 * 60_000 });
    const atStart = await createSession(first, 'left-behind.bin', data.length);
    assert.equal((await putPart(first, atStart, data, 0)).status, 200);
    await first.expireSessions(atStart.id);
    await first.stop();
    const second = await localboxFor(t, { dataDir, token: 't', sweepIntervalMs: 50 });
    assert.deepEqual(partFiles(atStart.id), [], 'swept at start');
    assert.equal((await call(second, 'GET', `/api/2.0/files/upload_sessions/${atStart.id}`)).status, 410);
    const later = await createSession(second, 'later.bin', data.length);
    assert.equal((await putPart(second, later, data, 0)).status, 200);
    assert.equal(partFiles(later.id).length, 1, 'an open session keeps its parts');
    await second.expireSessions(later.id);
    await until(() => partFiles(later.id).length === 0, 'swept while running');
  });
});
