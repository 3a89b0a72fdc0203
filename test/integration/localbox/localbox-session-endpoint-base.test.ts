import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { startLocalbox } from '../../../electron/localbox/localbox.ts';
import { firstLine, runHoist, startHoist } from '../../helpers/hoist-process.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import type { SessionBody } from '../../helpers/manual-upload.ts';

const BASE = 'https://upload-las.app.box.com/api/2.0';
const FILE_BYTES = 21_000_000;

const endpointsUnder = (base: string, id: string) => {
  const session = `${base}/files/upload_sessions/${id}`;
  return {
    upload_part: session,
    commit: `${session}/commit`,
    abort: session,
    list_parts: `${session}/parts`,
    status: session,
    log_event: `${session}/log`,
  };
};

/** A GET to localbox addressed (Host header) to another name, as a proxied client's would be. */
function getAddressedTo(url: string, host: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host, authorization: `Bearer ${token}` } });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('localbox answers sessions on another host when told (sessionEndpointBase)', () => {
  it('puts session_endpoints under the base, and answers requests addressed to its host', async (t) => {
    const localbox = await localboxFor(t, { sessionEndpointBase: `${BASE}/` });
    const created = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
      json: { folder_id: '0', file_size: FILE_BYTES, file_name: 'las.bin' },
    });
    assert.equal(created.status, 201);
    const session = created.body as unknown as SessionBody;
    assert.deepEqual(session.session_endpoints, endpointsUnder(BASE, session.id));
    const path = new URL(session.session_endpoints.status).pathname;
    const status = await getAddressedTo(`${localbox.url}${path}`, 'upload-las.app.box.com', localbox.token);
    assert.equal(status.status, 200, status.body);
    assert.deepEqual((JSON.parse(status.body) as SessionBody).session_endpoints, endpointsUnder(BASE, session.id));
    const other = await getAddressedTo(`${localbox.url}${path}`, 'elsewhere.example', localbox.token);
    assert.equal(other.status, 403, 'other names are still refused');
  });

  it('by default, endpoints are on the host the request came in on, as always', async (t) => {
    const localbox = await localboxFor(t);
    const created = await call(localbox, 'POST', '/api/2.0/files/upload_sessions', {
      json: { folder_id: '0', file_size: FILE_BYTES, file_name: 'here.bin' },
    });
    const session = created.body as unknown as SessionBody;
    assert.deepEqual(session.session_endpoints, endpointsUnder(`${localbox.url}/api/2.0`, session.id));
  });

  it('refuses a base it could not serve, before it starts', async () => {
    for (const base of [
      'not a url',
      'ftp://upload-las.app.box.com/api/2.0',
      'https://upload-las.app.box.com/2.0',
      'https://upload-las.app.box.com/',
      'https://user:pw@upload-las.app.box.com/api/2.0',
      'https://upload-las.app.box.com/api/2.0?x=1',
    ]) {
      await assert.rejects(startLocalbox({ sessionEndpointBase: base }), /session endpoint base/, base);
    }
  });

  it('hoist localbox --session-endpoint-base: sessions name that host; a bad one exits 2 in one line', async (t) => {
    const run = startHoist(t, ['localbox', '--session-endpoint-base', BASE]);
    const ready = JSON.parse(await firstLine(run)) as { url: string; token: string };
    const created = await call(ready, 'POST', '/api/2.0/files/upload_sessions', {
      json: { folder_id: '0', file_size: FILE_BYTES, file_name: 'cli.bin' },
    });
    const session = created.body as unknown as SessionBody;
    assert.deepEqual(session.session_endpoints, endpointsUnder(BASE, session.id));
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
    const bad = await runHoist(['localbox', '--session-endpoint-base', 'https://upload-las.app.box.com/elsewhere']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^hoist: --session-endpoint-base: the session endpoint base must end in \/api\/2\.0/);
  });
});
