import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it, type TestContext } from 'node:test';
import { ReplaceableTokenSource } from '../../../electron/box/token-source.ts';
import { startLocalbox, type LocalboxHandle } from '../../../electron/localbox/localbox.ts';
import { assertStored, clientFor, queueFor, waitForState } from '../../helpers/engine-fixture.ts';
import { killHard, partsDone, runHoist, startHoist, waitForEvent } from '../../helpers/hoist-process.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { UploadQueue } from '../../../electron/engine/upload-queue.ts';

const PART_BYTES = 2 * 1024 * 1024 + 1;

async function setup(t: TestContext, seed: number, sizeBytes = 40_000_000) {
  const dir = await tempDir(t);
  const dataDir = join(dir, 'localbox');
  const options = { dataDir, partSize: PART_BYTES, connBandwidthBytesPerSec: 6_000_000, token: `token-${seed}` };
  let localbox: LocalboxHandle = await startLocalbox(options);
  t.after(() => localbox.stop());
  const file = await writePatternFile(dir, `outage-${seed}.bin`, sizeBytes, seed);
  const target = ['--api-url', localbox.url, '--token', localbox.token, '--state-dir', join(dir, 'state'), '--json'];
  /** Stops localbox and brings it back on the same port with the same data after `downMs`. */
  const restart = async (downMs: number): Promise<void> => {
    const port = Number(new URL(localbox.url).port);
    await localbox.stop();
    await delay(downMs);
    localbox = await startLocalbox({ ...options, port });
  };
  return { localbox: () => localbox, file, target, restart };
}

describe('network and server outages', () => {
  it('continues when localbox restarts in the middle of an upload', async (t) => {
    const { localbox, file, target, restart } = await setup(t, 101);
    const run = startHoist(t, ['upload', file.path, ...target]);
    await waitForEvent(run, (event) => partsDone(event) >= 4);
    await restart(500);
    assert.equal(await run.exited, 0, run.stderr());
    assert.match(run.stdout(), new RegExp(`"sha1":"${file.sha1}"`));
    const done = JSON.parse(
      run
        .stdout()
        .trim()
        .split('\n')
        .findLast((line) => line.includes('"event":"done"'))!,
    );
    assert.equal((await clientFor(localbox()).getFile(done.fileId)).sha1, file.sha1);
  });

  it('waits out a server that is down for 30 s, then continues by itself', async (t) => {
    const { file, target, restart } = await setup(t, 102);
    const run = startHoist(t, ['upload', file.path, ...target]);
    await waitForEvent(run, (event) => partsDone(event) >= 2);
    await restart(30_000);
    assert.equal(await run.exited, 0, run.stderr());
    assert.match(run.stdout(), /"state":"waiting-network"/, 'it said it was waiting for the network');
    assert.match(run.stdout(), new RegExp(`"sha1":"${file.sha1}"`));
  });

  it('gets through the whole fault matrix in one upload through the CLI', async (t) => {
    const { localbox, file, target } = await setup(t, 103);
    const faults = localbox().faults;
    faults.add({ on: 'upload-part', skip: 1, action: { kind: 'status', status: 503, retryAfterSeconds: 1 } });
    faults.add({ on: 'upload-part', skip: 3, action: { kind: 'status', status: 429, retryAfterSeconds: 1 } });
    faults.add({ on: 'upload-part', skip: 5, action: { kind: 'status', status: 500 } });
    faults.add({ on: 'upload-part', skip: 7, action: { kind: 'reset-mid-body', afterBytes: 500_000 } });
    faults.add({ on: 'upload-part', skip: 9, action: { kind: 'lose-response' } });
    faults.add({ on: 'commit', times: 3, action: { kind: 'accepted', retryAfterSeconds: 1 } });
    faults.add({ on: 'commit', skip: 3, times: 2, action: { kind: 'parts-mismatch' } });
    const run = startHoist(t, ['upload', file.path, ...target]);
    await waitForEvent(run, (event) => partsDone(event) >= 12);
    await localbox().expireSessions(); // and the session expires mid-upload
    assert.equal(await run.exited, 0, run.stderr());
    assert.match(run.stdout(), new RegExp(`"sha1":"${file.sha1}"`));
    const stats = localbox().stats();
    assert.equal(stats.requestsByOperation['create-session'], 2, 'the expired session was replaced');
    assert.ok(
      stats.partAttempts.some((attempt) => attempt.status === 416),
      'the lost response was recognised',
    );
  });

  it('replaces a session that expired or vanished between runs, when the file is unchanged', async (t) => {
    for (const [seed, loseSession] of [
      [104, (box: LocalboxHandle) => box.expireSessions()],
      [
        105,
        async (box: LocalboxHandle) => {
          const session = box.stats().partAttempts[0]!.sessionId;
          await call(box, 'DELETE', `/api/2.0/files/upload_sessions/${session}`);
        },
      ],
    ] as const) {
      const { localbox, file, target } = await setup(t, seed);
      const run = startHoist(t, ['upload', file.path, ...target]);
      await waitForEvent(run, (event) => partsDone(event) >= 5);
      await killHard(run);
      await loseSession(localbox());
      const resumed = await runHoist(['resume', ...target]);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stdout, new RegExp(`"sha1":"${file.sha1}"`));
      assert.equal(localbox().stats().requestsByOperation['create-session'], 2);
    }
  });

  it('keeps a job whose token was rejected, and finishes it with a new token', async (t) => {
    const { localbox, file, target } = await setup(t, 106);
    const run = startHoist(t, ['upload', file.path, ...target]);
    await waitForEvent(run, (event) => partsDone(event) >= 3);
    await killHard(run);
    const stateDir = target[target.indexOf('--state-dir') + 1]!;
    const wrong = await runHoist([
      'resume',
      ...target.map((arg) => (arg === localbox().token ? 'expired-token' : arg)),
    ]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stdout, /rejected the access token/);
    const listed = await runHoist(['list', '--state-dir', stateDir, '--json']);
    assert.equal(JSON.parse(listed.stdout.trim()).error.kind, 'token-rejected', 'still there, to resume');
    const right = await runHoist(['resume', ...target]);
    assert.equal(right.code, 0, right.stderr);
    assert.match(right.stdout, new RegExp(`"sha1":"${file.sha1}"`));
  });

  it('in the app, a job whose token is rejected waits for a new one instead of failing', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 6_000_000 });
    const file = await writePatternFile(await tempDir(t), 'token.bin', 30_000_000, 107);
    const tokens = new ReplaceableTokenSource(localbox.token);
    const queue = new UploadQueue({ client: clientFor(localbox, tokens), random: () => 0 });
    t.after(() => queue.shutdown());
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
    await waitForState(queue, job, ['uploading']);
    while (job.record.confirmed.size < 2) await delay(10);
    localbox.setToken('rotated-token');
    const waiting = await waitForState(queue, job, ['waiting-token', 'failed']);
    assert.equal(waiting.state, 'waiting-token');
    assert.equal(waiting.error?.kind, 'token-rejected');
    tokens.replace('rotated-token');
    await assertStored(queue, await waitForState(queue, job, ['done', 'failed']), file.sha1);
  });

  it('removing a job aborts its session on the server', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 6_000_000 });
    const file = await writePatternFile(await tempDir(t), 'remove.bin', 30_000_000, 108);
    const queue = queueFor(t, localbox);
    const job = queue.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
    while (job.record.confirmed.size < 1) await delay(10);
    const session = job.record.session!;
    await queue.remove(job.id);
    assert.equal(queue.get(job.id), undefined);
    assert.equal((await call(localbox, 'GET', session.endpoints.status)).status, 404);
  });
});
