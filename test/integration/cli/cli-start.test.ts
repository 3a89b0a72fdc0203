import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { HOIST_BIN } from '../../helpers/hoist-process.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

test('hoist --version prints the package version without loading any command', () => {
  const run = spawnSync(process.execPath, [HOIST_BIN, '--version'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, `${packageVersion}\n`);
});

test('the sources and the bundle give the same answer', async (t) => {
  const dir = await tempDir(t);
  for (const fromSource of ['1', '']) {
    const run = spawnSync(process.execPath, [HOIST_BIN, 'list', '--state-dir', dir], {
      encoding: 'utf8',
      env: { ...process.env, HOIST_CLI_FROM_SOURCE: fromSource },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'no unfinished uploads');
  }
});

test('started by an older system Node, hoist hands itself to the checkout’s Node 22', async (t) => {
  const systemNode = spawnSync('/usr/bin/node', ['-p', 'process.versions.node'], { encoding: 'utf8' });
  const major = Number(systemNode.stdout?.split('.')[0]);
  if (systemNode.status !== 0 || !(major < 22)) {
    t.skip('no Node older than 22 at /usr/bin/node on this machine');
    return;
  }
  const dir = await tempDir(t);
  const run = spawnSync('/usr/bin/node', [HOIST_BIN, 'list', '--state-dir', dir], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'no unfinished uploads');
});
