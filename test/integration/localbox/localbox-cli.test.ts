import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstLine, runHoist, startHoist } from '../../helpers/hoist-process.ts';
import { call } from '../../helpers/localbox-fixture.ts';
import { directUpload } from '../../helpers/manual-upload.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('hoist localbox', () => {
  it('prints exactly one JSON ready line, serves on 127.0.0.1, and stops cleanly on SIGTERM', async (t) => {
    const run = startHoist(t, ['localbox']);
    const ready = JSON.parse(await firstLine(run)) as { url: string; token: string; clientId: string };
    assert.deepEqual(Object.keys(ready), ['url', 'token', 'clientId', 'clientSecret']);
    assert.match(ready.clientId, /^[0-9a-f]{16,}$/, 'a random OAuth client');
    assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(ready.token.length >= 16, 'a random token');
    assert.match(ready.token, /^[0-9a-f]+$/, 'never starting with "-", which `--token` would read as an option');
    assert.equal((await call(ready, 'GET', '/2.0/folders/0')).status, 200);
    assert.equal((await call(ready, 'GET', '/_localbox/stats')).status, 404, 'test controls are off by default');
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
    assert.equal(run.stdout().trim().split('\n').length, 1);
  });

  it('takes --port, --token and --data, keeps its data across restarts, and stops on SIGINT', async (t) => {
    const dataDir = await tempDir(t);
    const start = async () => {
      const run = startHoist(t, [
        'localbox',
        '--port',
        '0',
        '--token',
        'fixed-token',
        '--data',
        dataDir,
        '--part-size',
        '5242881',
      ]);
      return { run, ready: JSON.parse(await firstLine(run)) as { url: string; token: string } };
    };
    const first = await start();
    assert.equal(first.ready.token, 'fixed-token');
    const folder = await call(first.ready, 'POST', '/2.0/folders', { json: { name: 'Durable', parent: { id: '0' } } });
    const session = await call(first.ready, 'POST', '/api/2.0/files/upload_sessions', {
      json: { folder_id: '0', file_size: 21_000_000, file_name: 'x.bin' },
    });
    assert.equal(session.body?.['part_size'], 5242881);
    first.run.child.kill('SIGINT');
    assert.equal(await first.run.exited, 0);
    const second = await start();
    const again = await call(second.ready, 'GET', `/2.0/folders/${folder.body?.['id']}`);
    assert.equal(again.body?.['name'], 'Durable');
    second.run.child.kill('SIGTERM');
    assert.equal(await second.run.exited, 0);
  });

  it('shapes traffic from its flags, and serves the test controls with --admin-routes', async (t) => {
    const run = startHoist(t, [
      'localbox',
      '--latency-ms',
      '120',
      '--conn-bandwidth',
      '8000000',
      '--total-bandwidth',
      '32000000',
      '--upload-requests-per-minute',
      '1',
      '--part-size',
      'box',
      '--admin-routes',
    ]);
    const ready = JSON.parse(await firstLine(run)) as { url: string; token: string };
    assert.equal((await call(ready, 'GET', '/_localbox/stats')).status, 200);
    const started = performance.now();
    await call(ready, 'GET', '/2.0/folders/0');
    assert.ok(performance.now() - started >= 115, 'the latency flag delays answers (a lower bound only)');
    const upload = (name: string) => directUpload(ready, { name, parent: { id: '0' } }, new Uint8Array(10));
    assert.equal((await upload('one.bin')).status, 201);
    const limited = await upload('two.bin');
    assert.equal(limited.status, 429, 'one upload request a minute');
    assert.equal(limited.body['code'], 'rate_limit_exceeded');
  });

  it('exits 2 with the usage for bad flags', async () => {
    for (const args of [
      ['localbox', '--port', 'abc'],
      ['localbox', '--part-size', '-3'],
      ['localbox', '--total-bandwidth', '0'],
      ['localbox', '--upload-requests-per-minute', 'x'],
      ['localbox', '--bogus'],
      ['nonsense'],
    ]) {
      const result = await runHoist(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /Usage:/);
    }
  });
});
