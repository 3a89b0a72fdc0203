import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { clientFor } from '../../helpers/engine-fixture.ts';
import { startHoist } from '../../helpers/hoist-process.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

const FAIL_WRITES = fileURLToPath(new URL('../../fixtures/fail-writes.mjs', import.meta.url));
const PART_BYTES = 2 * 1024 * 1024 + 1;

describe('hoist upload when the disk holding its journal fills up', () => {
  it('says so once, pauses, and finishes the upload when space returns; nothing uncaught', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 6_000_000 });
    const dir = await tempDir(t);
    const stateDir = join(dir, 'state');
    const marker = join(dir, 'disk-is-full');
    const refused = join(dir, 'refused-writes');
    writeFileSync(refused, '');
    const file = await writePatternFile(dir, 'big.bin', 30_000_000, 901);
    const run = startHoist(
      t,
      [
        'upload',
        file.path,
        '--api-url',
        localbox.url,
        '--token',
        localbox.token,
        '--state-dir',
        stateDir,
        '--parallel',
        '2',
      ],
      {
        NODE_OPTIONS: `--import ${FAIL_WRITES}`,
        HOIST_FAIL_WRITES_DIR: join(stateDir, 'journal'),
        HOIST_FAIL_WRITES_MARKER: marker,
        HOIST_FAIL_WRITES_COUNT: refused,
      },
    );
    await until(() => localbox.stats().partsStored >= 2, 'the upload is under way', 30_000);
    writeFileSync(marker, '');
    await until(() => run.stderr().includes('cannot save its progress'), 'the full disk is reported', 30_000);
    await until(
      () => readFileSync(refused, 'utf8').split('\n').length > 3,
      'the journal keeps trying to write',
      30_000,
    );
    const storedWhileFull = localbox.stats().partsStored;
    rmSync(marker);
    const code = await run.exited;
    assert.equal(code, 0, run.stderr());
    const stderr = run.stderr();
    const full = `hoist: Hoist cannot save its progress: the disk holding ${join(stateDir, 'journal')} is full. Uploads are paused until it can.`;
    assert.equal(stderr.split('\n').filter((line) => line === full).length, 1, stderr);
    assert.match(stderr, /hoist: Hoist can save its progress again; the uploads continue\./);
    assert.doesNotMatch(stderr, /\n\s+at |Error:|Uncaught/, 'no stack trace');
    assert.ok(storedWhileFull < Math.ceil(30_000_000 / PART_BYTES), 'it had not finished while the disk was full');
    const client = clientFor(localbox);
    const uploaded = (await client.listFolderItems('0', { limit: 10 })).entries.find((item) => item.name === 'big.bin');
    assert.ok(uploaded);
    assert.equal((await client.getFile(uploaded.id)).sha1, file.sha1);
  });
});
