import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../helpers/temp-dir.ts';
import { sha1Hex, writePatternFile } from '../../helpers/test-files.ts';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const run = (script: string, env: Record<string, string> = {}, args: string[] = []) =>
  spawnSync(process.execPath, [join(ROOT, script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
const DISTRIBUTOR_APP = { HOIST_BOX_CLIENT_ID: 'distributor-client-id', HOIST_BOX_CLIENT_SECRET: 'distributor-secret' };
const electronInstalled = existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'));

describe('the desktop app build', () => {
  // A build of its own: npm test's build in build/dist is being served to the browser tests.
  let dist = '';
  before(async () => {
    dist = await mkdtemp(join(tmpdir(), 'hoist-dist-'));
    // As a distributor builds it: with its Box app built in.
    const built = run('build/scripts/build-app.ts', DISTRIBUTOR_APP, ['--out', dist]);
    assert.equal(built.status, 0, built.stderr);
  });
  after(() => rm(dist, { recursive: true, force: true }));

  it('runs the bundled main process with a stub Electron: secure window, only the contract’s IPC, a real upload, a clean quit', async (t) => {
    const userData = await tempDir(t);
    const file = await writePatternFile(await tempDir(t), 'from-main.bin', 21_000_000, 801);
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        join(ROOT, 'test/fixtures/electron-stub/register.mjs'),
        join(dist, 'main', 'main.js'),
        // as if the person ran `hoist missing.bin`: a file that cannot be added says so in the window
        join(userData, 'missing.bin'),
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 90_000,
        env: { ...process.env, HOIST_REPO: ROOT, HOIST_USER_DATA: userData, HOIST_SMOKE_FILE: file.path },
      },
    );
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    assert.equal(report['ok'], true);
    const window = (report['windows'] as Array<{ webPreferences: Record<string, unknown> }>)[0]!;
    assert.deepEqual(
      [
        window.webPreferences['contextIsolation'],
        window.webPreferences['sandbox'],
        window.webPreferences['nodeIntegration'],
        window.webPreferences['webSecurity'],
      ],
      [true, true, false, true],
    );
    assert.equal(window.webPreferences['preload'], join(dist, 'preload', 'preload.cjs'));
    assert.deepEqual(report['loads'], ['app://hoist/index.html']);
    assert.deepEqual(report['schemes'], [
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    assert.equal(report['permissionHandlers'], 2, 'permission requests and checks are both denied');
    assert.deepEqual(report['windowOpen'], { action: 'deny' });
    assert.deepEqual(report['opened'], [], 'a page asking for a new window opens nothing, not even the browser');
    assert.deepEqual(report['strayListeners'], [], 'no IPC listener outside the contract');
    assert.match(String(report['untrusted']), /did not come from Hoist's own window/);
    const finished = report['finished'] as { state: string; sha1: string };
    assert.equal(finished.state, 'done');
    assert.equal(finished.sha1, sha1Hex(await readFile(file.path)));
    assert.ok((report['sends'] as string[]).includes('jobs:updated'));
    assert.ok(
      (report['progress'] as number[]).some((value) => value > 0 && value <= 1),
      'dock progress was shown',
    );
    assert.equal((report['progress'] as number[]).at(-1), -1, 'and cleared when idle');
    assert.ok(existsSync(join(userData, 'logs', 'hoist.log')));
    assert.deepEqual(report['signIn'], { ready: true, app: 'built-in' }, 'the Box app built in is used');
    assert.deepEqual(
      report['notices'],
      ['missing.bin: Hoist cannot upload this file: the file does not exist.'],
      'a file from the command line that cannot be added becomes a notice, not a silent rejection',
    );
  });

  it('puts the Box app built in into the main bundle only: never the preload or the renderer', async () => {
    const secret = DISTRIBUTOR_APP.HOIST_BOX_CLIENT_SECRET;
    assert.ok((await readFile(join(dist, 'main', 'main.js'), 'utf8')).includes(secret));
    assert.ok(!(await readFile(join(dist, 'preload', 'preload.cjs'), 'utf8')).includes(secret));
    for (const name of await readdir(join(dist, 'renderer', 'assets'))) {
      assert.ok(!(await readFile(join(dist, 'renderer', 'assets', name), 'utf8')).includes(secret), name);
    }
  });

  it('packages with electron-builder: app.asar holds main, preload and renderer; the addon ships beside it; fuses are set', () => {
    const packaged = run('build/scripts/check-package.ts');
    assert.equal(packaged.status, 0, packaged.stderr);
    assert.match(
      packaged.stdout,
      /^package ok: app\.asar holds \/package\.json, \/build\/dist\/main\/main\.js, \/build\/dist\/preload\/preload\.cjs, \/build\/dist\/renderer\/index\.html/,
    );
    assert.match(
      packaged.stdout,
      /fuses: RunAsNode, NODE_OPTIONS, --inspect and file:\/\/ privileges off, app\.asar only/,
    );
  });

  it(
    'npm start says in one sentence when Electron’s binary cannot be downloaded',
    { skip: electronInstalled ? 'ELECTRON binary is installed here, so npm start would launch the app' : false },
    async (t) => {
      const started = run('build/scripts/start-app.ts', {
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        electron_config_cache: await tempDir(t),
      });
      assert.equal(started.status, 1);
      const lines = started.stderr.trim().split('\n');
      assert.equal(lines.length, 1, started.stderr);
      assert.match(
        lines[0]!,
        /^Hoist cannot start here: Electron's binary could not be downloaded \(.+\), so the desktop app cannot run on this machine; the command line works without it/,
      );
    },
  );
});
