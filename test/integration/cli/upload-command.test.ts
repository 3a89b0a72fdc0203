import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runHoist, jsonLines } from '../../helpers/hoist-process.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

describe('hoist upload', () => {
  it('uploads to the embedded localbox by default and prints a done line per file with --json', async (t) => {
    const dir = await tempDir(t);
    const big = await writePatternFile(dir, 'big.bin', 25_000_000, 81);
    const small = await writePatternFile(dir, 'small.txt', 4321, 82);
    const result = await runHoist(['upload', big.path, small.path, '--state-dir', join(dir, 'state'), '--json']);
    assert.equal(result.code, 0, result.stderr);
    const done = jsonLines(result.stdout).filter((event) => event['event'] === 'done');
    assert.deepEqual(
      done.map((event) => Object.keys(event)),
      [
        ['event', 'path', 'fileId', 'sha1'],
        ['event', 'path', 'fileId', 'sha1'],
      ],
    );
    assert.deepEqual(
      new Map(done.map((event) => [event['path'], event['sha1']])),
      new Map([
        [big.path, big.sha1],
        [small.path, small.sha1],
      ]),
    );
  });

  it('prints plain lines when stdout is not a terminal', async (t) => {
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'plain.bin', 1000, 83);
    const result = await runHoist(['upload', file.path, '--state-dir', join(dir, 'state'), '--limit-rate', '1G']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^done  ${file.path}  1.0 kB  file \\d+  sha1 ${file.sha1}$`, 'm'));
    assert.ok(!result.stdout.includes('\u001b['), 'no terminal control codes in a pipe');
  });

  it('gives each bad file one clear line naming it and the cause, exits 1, and still uploads the rest', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const good = await writePatternFile(dir, 'good.bin', 22_000_000, 84);
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '');
    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    const fifo = join(dir, 'a-pipe');
    execFileSync('mkfifo', [fifo]);
    const badName = (await writePatternFile(dir, 'back\\slash.txt', 10, 85)).path;
    const trailing = (await writePatternFile(dir, 'trailing ', 10, 86)).path;
    const missing = join(dir, 'missing.bin');
    const paths = [good.path, missing, folder, fifo, '/dev/null', empty, badName, trailing];
    const result = await runHoist(['upload', ...paths, '--api-url', localbox.url, '--token', localbox.token]);
    assert.equal(result.code, 1);
    const errors = result.stderr.trim().split('\n');
    const expectations: Array<[string, RegExp]> = [
      [missing, /does not exist/],
      [folder, /is a folder; Hoist uploads files \(add --recursive to upload it with everything in it\)\. \[EISDIR\]$/],
      [fifo, /pipe \(FIFO\)/],
      ['/dev/null', /device/],
      [badName, /does not accept the name/],
      [trailing, /does not accept the name/],
    ];
    assert.equal(errors.length, expectations.length, result.stderr);
    for (const [path, cause] of expectations) {
      const line = errors.find((each) => each.startsWith(`hoist: ${path}: `));
      assert.ok(line, `a line for ${path}`);
      assert.match(line, cause);
    }
    const listing = await call(localbox, 'GET', '/2.0/folders/0/items');
    const names = (listing.body?.['entries'] as Array<{ name: string; sha1: string }>)
      .map((entry) => entry.name)
      .sort();
    assert.deepEqual(names, ['empty.txt', 'good.bin'], 'the good files uploaded, an empty file included');
  });

  it('uploads a folder and everything in it with --recursive, into --folder, keeping its structure', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const root = join(dir, 'site');
    await mkdir(join(root, 'assets', 'img'), { recursive: true });
    const index = await writePatternFile(root, 'index.html', 2000, 94);
    const logo = await writePatternFile(join(root, 'assets', 'img'), 'logo.png', 22_000_000, 95);
    execFileSync('mkfifo', [join(root, 'a-pipe')]);
    await writeFile(join(root, 'assets', '.DS_Store'), 'Finder');
    const loose = await writePatternFile(dir, 'notes.txt', 300, 96);
    const parent = await call(localbox, 'POST', '/2.0/folders', { json: { name: 'backup', parent: { id: '0' } } });
    const parentId = String(parent.body?.['id']);
    const result = await runHoist([
      'upload',
      root,
      loose.path,
      '-r',
      '--folder',
      parentId,
      '--api-url',
      localbox.url,
      '--token',
      localbox.token,
      '--json',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const events = jsonLines(result.stdout);
    assert.deepEqual(
      events.filter((event) => event['event'] === 'skipped'),
      [
        { event: 'skipped', path: join(root, 'a-pipe'), message: 'not a regular file (a pipe, device or socket)' },
        { event: 'skipped', path: root, message: '1 system file(s) such as .DS_Store and Thumbs.db' },
      ],
    );
    const done = new Map(
      events.filter((event) => event['event'] === 'done').map((event) => [event['path'], event['sha1']]),
    );
    assert.deepEqual(
      done,
      new Map([
        [index.path, index.sha1],
        [logo.path, logo.sha1],
        [loose.path, loose.sha1],
      ]),
    );
    const names = async (folderId: string) =>
      (await call(localbox, 'GET', `/2.0/folders/${folderId}/items`)).body?.['entries'] as Array<{
        id: string;
        name: string;
      }>;
    const inParent = await names(parentId);
    assert.deepEqual(inParent.map((entry) => entry.name).sort(), ['notes.txt', 'site']);
    const site = await names(inParent.find((entry) => entry.name === 'site')!.id);
    assert.deepEqual(site.map((entry) => entry.name).sort(), ['assets', 'index.html']);
    const assets = await names(site.find((entry) => entry.name === 'assets')!.id);
    const img = await names(assets[0]!.id);
    assert.deepEqual(
      img.map((entry) => entry.name),
      ['logo.png'],
    );

    const down = await runHoist(['upload', root, '-r', '--api-url', localbox.url, '--token', 'wrong', '--json']);
    assert.equal(down.code, 1);
    assert.match(down.stdout, /"event":"failed".*the folder could not be made: .*rejected the access token/);
  });

  it('says so when a file cannot be read', async (t) => {
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'secret.bin', 100, 87);
    await chmod(file.path, 0o000);
    await chmod(dir, 0o777);
    // Root reads anything; run the command as an ordinary user where we are root.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const { spawnSync } = await import('node:child_process');
    const { HOIST_BIN } = await import('../../helpers/hoist-process.ts');
    const run = spawnSync(process.execPath, [HOIST_BIN, 'upload', file.path, '--state-dir', join(dir, 'state-user')], {
      ...asUser,
      encoding: 'utf8',
      env: { ...process.env, HOME: dir },
      cwd: dir,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`^hoist: ${file.path}: .*permission denied`, 'm'));
  });

  it('names a destination folder that does not exist, a wrong token and a server that is down', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'f.bin', 21_000_000, 88);
    const small = await writePatternFile(dir, 's.bin', 10, 89);
    const folder = await runHoist([
      'upload',
      file.path,
      small.path,
      '--api-url',
      localbox.url,
      '--token',
      localbox.token,
      '--folder',
      '123456',
    ]);
    assert.equal(folder.code, 1);
    assert.equal(folder.stderr.trim().split('\n').length, 2);
    assert.match(folder.stderr, /f\.bin: The destination folder 123456 does not exist/);
    assert.match(folder.stderr, /s\.bin: The destination folder 123456 does not exist/);

    const token = await runHoist(['upload', file.path, '--api-url', localbox.url], {
      HOIST_TOKEN: 'wrong-token',
      HOIST_API_URL: localbox.url,
    });
    assert.equal(token.code, 1);
    assert.match(token.stderr, /f\.bin: .*rejected the access token/);

    const down = await runHoist(['upload', file.path, small.path, '--api-url', 'http://127.0.0.1:9', '--token', 't']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /f\.bin: .*cannot be reached/);
    assert.match(down.stderr, /s\.bin: .*cannot be reached/);
  });

  it('fails a name already in the folder by default, and replaces or keeps both with --on-conflict', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    await mkdir(join(dir, 'v1'));
    await mkdir(join(dir, 'v2'));
    const first = await writePatternFile(join(dir, 'v1'), 'plan.txt', 300, 92);
    const second = await writePatternFile(join(dir, 'v2'), 'plan.txt', 400, 93);
    const target = ['--api-url', localbox.url, '--token', localbox.token, '--json'];
    const upload = (path: string, ...flags: string[]) => runHoist(['upload', path, ...target, ...flags]);
    const fileIdOf = (stdout: string) => jsonLines(stdout).find((event) => event['event'] === 'done')?.['fileId'];

    const original = await upload(first.path);
    assert.equal(original.code, 0, original.stderr);
    const refused = await runHoist(['upload', second.path, '--api-url', localbox.url, '--token', localbox.token]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^hoist: .*v2\/plan\.txt: A file named "plan\.txt" already exists in the destination folder; .* or keep both \(choose with --on-conflict replace or keep-both, which upload and resume take\)\. \[409 item_name_in_use/m,
    );
    const replaced = await upload(second.path, '--on-conflict', 'replace');
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.equal(fileIdOf(replaced.stdout), fileIdOf(original.stdout), 'a new version of the same file');
    const kept = await upload(first.path, '--on-conflict', 'keep-both');
    assert.equal(kept.code, 0, kept.stderr);
    const listing = await call(localbox, 'GET', '/2.0/folders/0/items');
    const entries = listing.body?.['entries'] as Array<{ name: string }>;
    assert.deepEqual(entries.map((entry) => entry.name).sort(), ['plan (1).txt', 'plan.txt']);
  });

  it('reports a state directory it cannot use in one line, without a stack trace', async (t) => {
    const notADir = (await writePatternFile(await tempDir(t), 'a-file', 1, 91)).path;
    const result = await runHoist(['upload', notADir, '--state-dir', join(notADir, 'state')]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^hoist: cannot use the state directory .*a-file\/state: part of its path is a file, not a folder\n$/,
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  it('takes the token from HOIST_TOKEN for the server HOIST_API_URL names', async (t) => {
    const localbox = await localboxFor(t);
    const file = await writePatternFile(await tempDir(t), 'env.bin', 500, 90);
    const result = await runHoist(['upload', file.path, '--api-url', localbox.url, '--json'], {
      HOIST_TOKEN: localbox.token,
      HOIST_API_URL: localbox.url,
    });
    assert.equal(result.code, 0, result.stderr);
  });

  it('refuses plain http to another machine with one sentence, and takes it to loopback', async () => {
    const remote = await runHoist(['upload', 'x', '--api-url', 'http://box.example', '--token', 't']);
    assert.equal(remote.code, 2);
    assert.match(
      remote.stderr,
      /--api-url must use https \(plain http is allowed only for 127\.0\.0\.1, ::1 or localhost\), not "http:\/\/box\.example"/,
    );
    const upload = await runHoist([
      'upload',
      'x',
      '--api-url',
      'https://box.example',
      '--upload-url',
      'http://up.example',
      '--token',
      't',
    ]);
    assert.match(upload.stderr, /--upload-url must use https/);
    // Box's API takes uploads only at Box's upload host: a Box token never goes elsewhere.
    const boxElsewhere = await runHoist([
      'login',
      '--api-url',
      'https://api.box.com',
      '--upload-url',
      'https://evil.example/api',
    ]);
    assert.equal(boxElsewhere.code, 2);
    assert.match(
      boxElsewhere.stderr,
      /--upload-url uploads for https:\/\/api\.box\.com go only to https:\/\/upload\.box\.com, not https:\/\/evil\.example/,
    );
    const badPort = await runHoist(['upload', 'x', '--api-url', 'http://127.0.0.1:99999', '--token', 't']);
    assert.match(
      badPort.stderr,
      /--api-url must be a full URL such as https:\/\/api\.box\.com, not "http:\/\/127\.0\.0\.1:99999"/,
    );
  });

  it('exits 2 with the usage for bad command lines', async () => {
    for (const args of [
      ['upload'],
      ['upload', 'x', '--parallel', '9'],
      ['upload', 'x', '--parallel', '0'],
      ['upload', 'x', '--folder', 'abc'],
      ['upload', 'x', '--api-url', 'ftp://x'],
      ['upload', 'x', '--api-url', 'http://127.0.0.1:9'],
      ['upload', 'x', '--upload-url', 'http://x'],
      ['upload', 'x', '--nope'],
      ['upload', 'x', '--on-conflict', 'overwrite'],
      ['upload', 'x', '--limit-rate', 'fast'],
      ['upload', 'x', '--limit-rate', '5k'],
      ['resume', '--limit-rate', '0'],
    ]) {
      const result = await runHoist(args, { HOIST_TOKEN: '' });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /Usage:/);
    }
  });
});
