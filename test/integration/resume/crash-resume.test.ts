import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { clientFor } from '../../helpers/engine-fixture.ts';
import {
  eventsOf,
  killHard,
  partsDone,
  runHoist,
  startHoist,
  waitForEvent,
  type HoistEvent,
} from '../../helpers/hoist-process.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

const PART_BYTES = 2 * 1024 * 1024 + 1;
const FILE_BYTES = 40_000_000;
const PARALLEL = 4;

/** A slow enough link that each crash lands where it is aimed. */
async function setup(t: TestContext, seed: number) {
  const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 6_000_000, latencyMs: 10 });
  const dir = await tempDir(t);
  const file = await writePatternFile(dir, `crash-${seed}.bin`, FILE_BYTES, seed);
  const stateDir = join(dir, 'state');
  const target = ['--api-url', localbox.url, '--token', localbox.token, '--state-dir', stateDir, '--json'];
  return { localbox, file, stateDir, target };
}

const isDone = (event: HoistEvent) => event.event === 'done';

describe('resume after kill -9', () => {
  const crashPoints: Array<[string, (event: HoistEvent) => boolean]> = [
    ['as it starts, before any part is sent', (event) => event.event === 'state' && event['state'] === 'uploading'],
    ['while the first parts are read, hashed and sent', (event) => partsDone(event) >= 1],
    [
      'between parts, right after one was confirmed',
      (event) =>
        partsDone(event) >= 6 && (event['parts'] as Array<{ state: string }>).some((part) => part.state === 'done'),
    ],
    ['with most parts uploaded', (event) => partsDone(event) >= 15],
  ];
  for (const [when, crashAt] of crashPoints) {
    it(`completes with the right SHA-1 after a crash ${when}, re-sending at most P + 1 parts`, async (t) => {
      const { localbox, file, target } = await setup(t, crashPoints.findIndex(([name]) => name === when) + 1);
      const first = startHoist(t, ['upload', file.path, '--parallel', String(PARALLEL), ...target]);
      await waitForEvent(first, crashAt);
      await killHard(first);
      const resumed = await runHoist(['resume', ...target]);
      assert.equal(resumed.code, 0, resumed.stderr);
      const done = eventsOf({ stdout: () => resumed.stdout } as never).find(isDone)!;
      assert.equal(done['sha1'], file.sha1);
      assert.equal((await clientFor(localbox).getFile(String(done['fileId']))).sha1, file.sha1);
      const received = localbox.stats().partBodyBytesReceived;
      assert.ok(received <= FILE_BYTES + (PARALLEL + 1) * PART_BYTES, `${received} bytes reached the server`);
    });
  }

  it('survives several crashes in a row, including one during commit', async (t) => {
    const { localbox, file, target } = await setup(t, 11);
    localbox.faults.add({ on: 'commit', times: 3, action: { kind: 'accepted', retryAfterSeconds: 1 } });
    const crashes: Array<[string[], (event: HoistEvent) => boolean]> = [
      [['upload', file.path], (event) => partsDone(event) >= 3],
      [['resume'], (event) => partsDone(event) >= 12],
      [['resume'], (event) => event.event === 'state' && event['state'] === 'committing'],
    ];
    for (const [command, crashAt] of crashes) {
      const run = startHoist(t, [...command, ...target]);
      await waitForEvent(run, crashAt);
      await killHard(run);
    }
    const last = await runHoist(['resume', ...target]);
    assert.equal(last.code, 0, last.stderr);
    assert.match(last.stdout, new RegExp(`"sha1":"${file.sha1}"`));
    const received = localbox.stats().partBodyBytesReceived;
    assert.ok(
      received <= FILE_BYTES + crashes.length * (PARALLEL + 1) * PART_BYTES,
      `${received} bytes for ${crashes.length} crashes`,
    );
  });

  it('resumes a small (direct) upload killed as it started', async (t) => {
    const { file, target } = await setup(t, 12);
    const small = await writePatternFile(join(file.path, '..'), 'small.bin', 3_000_000, 13);
    const first = startHoist(t, ['upload', small.path, ...target]);
    await waitForEvent(first, (event) => event.event === 'state');
    await killHard(first);
    const resumed = await runHoist(['resume', ...target]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`"sha1":"${small.sha1}"`));
  });

  it('says how much was already on the server, and `hoist upload` of the same file continues it', async (t) => {
    const { localbox, file, target, stateDir } = await setup(t, 14);
    const first = startHoist(t, ['upload', file.path, ...target]);
    await waitForEvent(first, (event) => partsDone(event) >= 8);
    await killHard(first);
    const listed = await runHoist(['list', '--state-dir', stateDir, '--json']);
    const entry = JSON.parse(listed.stdout.trim()) as Record<string, unknown>;
    assert.equal(entry['path'], file.path);
    assert.equal(entry['totalParts'], Math.ceil(FILE_BYTES / PART_BYTES));
    // Part confirmations are saved about once a second; the session is saved at once.
    assert.equal(typeof entry['confirmedParts'], 'number');
    assert.equal(entry['state'], 'active');
    const sessionsBefore = localbox.stats().requestsByOperation['create-session'];
    const again = await runHoist(['upload', file.path, ...target]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(
      localbox.stats().requestsByOperation['create-session'],
      sessionsBefore,
      'no new session: the job continued',
    );
    const resumed = eventsOf({ stdout: () => again.stdout } as never).find((event) => event['resumed']);
    const info = resumed?.['resumed'] as { partsAlreadyUploaded: number; totalParts: number };
    assert.ok(info.partsAlreadyUploaded >= 8, JSON.stringify(info));
    const plainList = await runHoist(['list', '--state-dir', stateDir]);
    assert.equal(plainList.stdout.trim(), 'no unfinished uploads');
  });

  it('a second hoist on the same state directory says so and exits 1', async (t) => {
    const { file, target, stateDir, localbox } = await setup(t, 15);
    // The first hoist must still be running while the others start: its commit waits a minute.
    localbox.faults.add({ on: 'commit', action: { kind: 'status', status: 503, retryAfterSeconds: 60 } });
    const running = startHoist(t, ['upload', file.path, ...target]);
    await waitForEvent(running, (event) => event.event === 'state');
    for (const command of [
      ['resume', ...target],
      ['list', '--state-dir', stateDir],
    ]) {
      const second = await runHoist(command);
      assert.equal(second.code, 1);
      assert.match(second.stderr, new RegExp(`another hoist \\(process ${running.child.pid}\\) is using ${stateDir}`));
    }
    await killHard(running);
  });

  it('reports a corrupt journal, keeps it aside, and still starts', async (t) => {
    const dir = await tempDir(t);
    const stateDir = join(dir, 'state');
    await runHoist(['list', '--state-dir', stateDir]);
    await writeFile(join(stateDir, 'journal', 'jobs.json'), '{"schemaVersion":2,"jobs":{"x":');
    const listed = await runHoist(['list', '--state-dir', stateDir]);
    assert.equal(listed.code, 0);
    assert.match(listed.stderr, /warning: the journal could not be read .*kept in .*jobs\.corrupt-/);
    assert.equal(listed.stdout.trim(), 'no unfinished uploads');
  });
});
