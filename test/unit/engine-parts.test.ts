import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxApiError, boxErrorFrom, parseRetryAfter } from '../../electron/box/box-error.ts';
import { RateGate, Slots } from '../../electron/engine/concurrency.ts';
import { compareSnapshot, type FileSnapshot } from '../../electron/engine/file-snapshot.ts';
import { JobProgress, type ProgressClock } from '../../electron/engine/job-progress.ts';
import { nameConflictOf, nextKeepBothName } from '../../electron/engine/name-conflict.ts';
import { planParts, uploadMethodFor } from '../../electron/engine/part-plan.ts';
import type { JobProgressBatch } from '../../shared/job-model.ts';

describe('part plan', () => {
  it('cuts a file into the server’s parts, the last one shorter', () => {
    assert.deepEqual(planParts(25, 10, 3), [
      { index: 0, offset: 0, sizeBytes: 10 },
      { index: 1, offset: 10, sizeBytes: 10 },
      { index: 2, offset: 20, sizeBytes: 5 },
    ]);
    assert.throws(() => planParts(25, 10, 4), /does not fit/);
    assert.equal(uploadMethodFor(19_999_999), 'direct');
    assert.equal(uploadMethodFor(20_000_000), 'session');
  });
});

describe('file snapshot', () => {
  const base: FileSnapshot = { sizeBytes: 10, mtimeNs: '1', ctimeNs: '1', ino: '5', dev: '1' };
  it('says in words what changed', () => {
    assert.deepEqual(compareSnapshot(base, base), { kind: 'unchanged' });
    assert.deepEqual(compareSnapshot(base, { ...base, ctimeNs: '2' }), { kind: 'ctime-only' });
    assert.match(JSON.stringify(compareSnapshot(base, { ...base, sizeBytes: 11 })), /size changed from 10 to 11 bytes/);
    assert.match(JSON.stringify(compareSnapshot(base, { ...base, mtimeNs: '2' })), /modified/);
    assert.match(JSON.stringify(compareSnapshot(base, { ...base, ino: '6' })), /replaced/);
  });
});

describe('job progress', () => {
  function fakeClock() {
    let nowMs = 0;
    const timers: Array<() => void> = [];
    const clock: ProgressClock = {
      now: () => nowMs,
      setTimeout: (callback) => timers.push(callback),
      clearTimeout: () => undefined,
    };
    return { clock, advance: (ms: number) => (nowMs += ms), fire: () => timers.splice(0).forEach((timer) => timer()) };
  }

  it('keeps sent and confirmed apart; a retry drops sent back to confirmed', () => {
    const batches: JobProgressBatch[] = [];
    const { clock } = fakeClock();
    const progress = new JobProgress('j', 30, 3, (batch) => batches.push(batch), clock);
    progress.sent(0, 6);
    progress.sent(1, 4);
    assert.equal(progress.totals().bytesSent, 10);
    progress.confirmed(0, 10);
    assert.deepEqual([progress.totals().bytesConfirmed, progress.totals().bytesSent], [10, 14]);
    progress.setState(1, 'retrying', { lastError: 'reset' });
    assert.deepEqual([progress.totals().bytesConfirmed, progress.totals().bytesSent], [10, 10]);
    progress.confirmed(1, 10);
    progress.confirmed(2, 10);
    progress.confirmed(2, 10);
    const totals = progress.totals();
    assert.deepEqual([totals.bytesConfirmed, totals.bytesSent, totals.partsDone, totals.etaSeconds], [30, 30, 3, 0]);
  });

  it('when the run stops, parts in flight go back to pending with nothing sent; failed and done parts stay', () => {
    const batches: JobProgressBatch[] = [];
    const { clock } = fakeClock();
    const progress = new JobProgress('j', 40, 4, (batch) => batches.push(batch), clock);
    progress.confirmed(0, 10);
    progress.setState(1, 'uploading');
    progress.sent(1, 7);
    progress.setState(2, 'reading');
    progress.setState(3, 'failed', { lastError: '500' });
    assert.equal(progress.totals().bytesSent, 17);
    progress.settle();
    progress.flush();
    assert.deepEqual(
      progress.parts.map((part) => [part.state, part.bytesSent]),
      [
        ['done', 10],
        ['pending', 0],
        ['pending', 0],
        ['failed', 0],
      ],
    );
    assert.deepEqual([progress.totals().bytesSent, progress.totals().bytesConfirmed], [10, 10]);
    assert.deepEqual(
      batches.at(-1)!.parts.map(([index, part]) => [index, part.state]),
      [
        [0, 'done'],
        [1, 'pending'],
        [2, 'pending'],
        [3, 'failed'],
      ],
    );
  });

  it('batches changed parts into at most one event per interval; flush sends at once', () => {
    const batches: JobProgressBatch[] = [];
    const { clock, fire } = fakeClock();
    const progress = new JobProgress('j', 100, 10, (batch) => batches.push(batch), clock);
    for (let i = 0; i < 10; i++) progress.sent(i, 1);
    assert.equal(batches.length, 0);
    fire();
    assert.equal(batches.length, 1);
    assert.equal(batches[0]!.parts.length, 10);
    progress.setState(3, 'done');
    progress.flush();
    assert.deepEqual(
      batches[1]!.parts.map(([index]) => index),
      [3],
    );
  });

  it('smooths speed and derives the ETA from it', () => {
    const { clock, advance } = fakeClock();
    const progress = new JobProgress('j', 10_000_000, 10, () => undefined, clock);
    for (let second = 1; second <= 5; second++) {
      advance(1000);
      progress.confirmed(second - 1, 1_000_000);
      progress.totals();
    }
    const totals = progress.totals();
    assert.ok(Math.abs(totals.speedBytesPerSec - 1_000_000) < 1000, String(totals.speedBytesPerSec));
    assert.equal(totals.etaSeconds, 5);
  });
});

describe('scheduling', () => {
  it('serves slots first come, first served', async () => {
    const slots = new Slots(1);
    const order: string[] = [];
    const first = await slots.acquire();
    const waiting = ['a', 'b'].map((name) => slots.acquire().then((release) => (order.push(name), release)));
    first();
    (await waiting[0]!)();
    (await waiting[1]!)();
    assert.deepEqual(order, ['a', 'b']);
    assert.equal(slots.inUse, 0);
  });

  it('a waiter that gives up does not take a slot', async () => {
    const slots = new Slots(1);
    const held = await slots.acquire();
    const controller = new AbortController();
    const gaveUp = slots.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(gaveUp, /stop/);
    held();
    const again = await slots.acquire();
    assert.equal(slots.inUse, 1);
    again();
  });

  it('the rate gate holds everyone until retry-after has passed', async () => {
    let nowMs = 1000;
    const gate = new RateGate(() => nowMs);
    gate.pauseFor(5000);
    gate.pauseFor(1000);
    assert.equal(gate.pausedUntilMs, 6000);
    nowMs = 6000;
    await gate.wait();
  });
});

describe('Box errors', () => {
  it('parses error objects, empty 401s and retry-after', () => {
    const error = boxErrorFrom(
      {
        status: 409,
        headers: { 'retry-after': '3' },
        body: Buffer.from(
          JSON.stringify({
            type: 'error',
            status: 409,
            code: 'item_name_in_use',
            message: 'taken',
            request_id: 'r1',
            context_info: { conflicts: { id: '9' } },
          }),
        ),
      },
      'upload file',
    );
    assert.deepEqual(
      [error.status, error.code, error.message, error.requestId, error.retryAfterMs],
      [409, 'item_name_in_use', 'taken', 'r1', 3000],
    );
    assert.deepEqual(error.contextInfo, { conflicts: { id: '9' } });
    const unauthorized = boxErrorFrom(
      {
        status: 401,
        headers: { 'www-authenticate': 'Bearer realm="Service", error="invalid_token"' },
        body: Buffer.alloc(0),
      },
      'commit',
    );
    assert.equal(unauthorized.code, 'invalid_token');
    assert.equal(boxErrorFrom({ status: 502, headers: {}, body: Buffer.from('<html>') }, 'x').code, 'bad_gateway');
    assert.equal(parseRetryAfter(new Date(61_000).toUTCString(), 1000), 60_000);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});

describe('name conflicts', () => {
  const conflict = (conflicts: unknown, code = 'item_name_in_use') =>
    new BoxApiError({ status: 409, code, message: 'taken', contextInfo: { conflicts }, operation: 'upload file' });

  it('reads the existing item from a conflict sent as an object (files) or an array (folders)', () => {
    assert.deepEqual(nameConflictOf(conflict({ type: 'file', id: '12' })), { type: 'file', id: '12' });
    assert.deepEqual(nameConflictOf(conflict([{ type: 'folder', id: '7' }])), { type: 'folder', id: '7' });
    assert.equal(nameConflictOf(conflict({ type: 'file', id: '12' }, 'conflict')), undefined);
    assert.equal(nameConflictOf(conflict({ id: 12 })), undefined);
    assert.equal(nameConflictOf(conflict(undefined)), undefined);
    assert.equal(nameConflictOf(new Error('item_name_in_use')), undefined);
  });

  it('numbers names for keep both before the last extension', () => {
    const cases: Array<[string, string]> = [
      ['report.pdf', 'report (1).pdf'],
      ['report (1).pdf', 'report (2).pdf'],
      ['report (9).pdf', 'report (10).pdf'],
      ['archive.tar.gz', 'archive (1).tar.gz'],
      ['v1.2.3.zip', 'v1.2.3 (1).zip'],
      ['.env.local', '.env (1).local'],
      ['README', 'README (1)'],
      ['.env', '.env (1)'],
      ['photo (edited).jpg', 'photo (edited) (1).jpg'],
    ];
    for (const [name, next] of cases) assert.equal(nextKeepBothName(name), next, name);
  });
});
