import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadPacing } from '../../electron/box/upload-pacing.ts';
import { UploadRateLimit as ServerLimit } from '../../electron/localbox/upload-rate-limit.ts';
import { ManualClock } from '../helpers/manual-clock.ts';

const settle = () => new Promise((resolve) => setImmediate(resolve));

interface DropResult {
  refused: number;
  finishedAtMs: number;
}

/**
 * Simulates a drop of `files` small files, `jobs` uploading at once, each request taking
 * `latencyMs`, against localbox's own limiter (a sliding minute) on a simulated clock. A refused
 * request is tried again after retry-after (or 1 s when the server sends none), as the engine does.
 */
async function simulateDrop(options: {
  files: number;
  perMinute: number;
  jobs?: number;
  latencyMs?: number;
  retryAfter?: boolean;
}): Promise<DropResult> {
  const clock = new ManualClock();
  const pacing = new UploadPacing(clock);
  const server = new ServerLimit(options.perMinute);
  const latencyMs = options.latencyMs ?? 5;
  const wait = (ms: number) => new Promise<void>((resolve) => clock.after(ms, resolve));
  let next = 0;
  let refused = 0;
  let finishedAtMs = 0;
  const job = async (): Promise<void> => {
    while (next < options.files) {
      next += 1;
      for (;;) {
        const request = await pacing.take(undefined, { wholeFile: true });
        const retryAfterSeconds = server.check(request.sentAtMs); // decided when the request arrives
        await wait(latencyMs);
        if (retryAfterSeconds === undefined) {
          pacing.finished(request);
          break;
        }
        refused += 1;
        const retryAfterMs = options.retryAfter === false ? undefined : retryAfterSeconds * 1000;
        pacing.rateLimited(request.sentAtMs, retryAfterMs);
        pacing.finished(request);
        await wait(retryAfterMs ?? 1000);
      }
      finishedAtMs = clock.nowMs();
    }
  };
  let running = true;
  const all = Promise.all(Array.from({ length: options.jobs ?? 3 }, job)).then(() => (running = false));
  while (running) {
    clock.advance(latencyMs);
    await settle();
  }
  await all;
  return { refused, finishedAtMs };
}

describe('upload pacing under Box’s rate limit', () => {
  it('holds nothing back before Box has refused a request', async () => {
    const clock = new ManualClock();
    const pacing = new UploadPacing(clock);
    const granted = await Promise.all([pacing.take(), pacing.take(), pacing.take()]);
    assert.deepEqual(
      granted.map((request) => request.sentAtMs),
      [0, 0, 0],
    );
    assert.equal(pacing.requestsPerSecond, undefined);
  });

  it('learns the rate from retry-after: 2,000 files, three at a time, meet one 429 and finish within 1.1x of the floor', async () => {
    const { refused, finishedAtMs } = await simulateDrop({ files: 2000, perMinute: 600 });
    const floorMs = (2000 / 600) * 60_000;
    assert.equal(refused, 1, 'beyond Box’s documented 240 a minute requests went one at a time');
    assert.ok(finishedAtMs <= floorMs * 1.1, `${finishedAtMs} ms against a floor of ${floorMs} ms`);
  });

  it('below the documented 240 a minute, a 429 meets the requests in flight, and the rate is still learned', async () => {
    const { refused, finishedAtMs } = await simulateDrop({ files: 600, perMinute: 120 });
    assert.ok(refused >= 1 && refused <= 3, `429s: ${refused} (at most the 3 requests in flight when the first came)`);
    assert.ok(finishedAtMs <= (600 / 120) * 60_000 * 1.1, `${finishedAtMs} ms`);
  });

  it('learns from Box’s minute when Box sends no retry-after', async () => {
    const { refused, finishedAtMs } = await simulateDrop({ files: 1000, perMinute: 240, retryAfter: false });
    const floorMs = (1000 / 240) * 60_000;
    assert.equal(refused, 1, `429s: ${refused}`);
    assert.ok(finishedAtMs <= floorMs * 1.1, `${finishedAtMs} ms against a floor of ${floorMs} ms`);
  });

  it('pauses every request until retry-after, and learns nothing from a handful of requests', async () => {
    const clock = new ManualClock();
    const pacing = new UploadPacing(clock);
    const first = await pacing.take();
    pacing.rateLimited(first.sentAtMs, 2000);
    let grantedAtMs: number | undefined;
    void pacing.take().then((request) => (grantedAtMs = request.sentAtMs));
    clock.advance(1999);
    await settle();
    assert.equal(grantedAtMs, undefined, 'held during retry-after');
    clock.advance(1);
    await settle();
    assert.equal(grantedAtMs, 2000);
    assert.equal(pacing.requestsPerSecond, undefined, 'one request says nothing about a per-minute budget');
  });

  it('lowers a learned rate when a paced request is refused, and forgets it after a quiet minute', async () => {
    const clock = new ManualClock();
    const pacing = new UploadPacing(clock);
    for (let i = 0; i < 20; i++) await pacing.take();
    const refused = await pacing.take();
    pacing.rateLimited(refused.sentAtMs, 1000);
    const learned = pacing.requestsPerSecond!;
    assert.ok(Math.abs(learned - (20 / 1) * 0.98) < 1e-9, `20 accepted over 1 s, less 2%: ${learned}`);
    clock.advance(1000);
    const paced = await pacing.take();
    pacing.rateLimited(paced.sentAtMs, 1000);
    assert.ok(pacing.requestsPerSecond! <= learned * 0.8 + 1e-9, 'a 429 while paced lowers the rate');
    clock.advance(61_000);
    assert.equal(
      (await pacing.take()).sentAtMs,
      clock.nowMs(),
      'after a minute without requests, nothing is held back',
    );
    assert.equal(pacing.requestsPerSecond, undefined);
  });

  it('beyond Box’s documented 240 a minute, the next small file waits for the last one’s answer', async () => {
    const clock = new ManualClock();
    const pacing = new UploadPacing(clock);
    const first = await Promise.all(Array.from({ length: 240 }, () => pacing.take(undefined, { wholeFile: true })));
    assert.ok(first.every((request) => !request.alone));
    const alone = await pacing.take(undefined, { wholeFile: true });
    assert.equal(alone.alone, true);
    assert.equal((await pacing.take()).alone, false, 'a part is not held back');
    let next: boolean | undefined;
    void pacing.take(undefined, { wholeFile: true }).then((request) => (next = request.alone));
    await settle();
    assert.equal(next, undefined, 'held while the lone request is on its way');
    pacing.finished(alone);
    await settle();
    assert.equal(next, true);
  });

  it('an abort while waiting rejects with the reason and frees the turn', async () => {
    const clock = new ManualClock();
    const pacing = new UploadPacing(clock);
    pacing.rateLimited((await pacing.take()).sentAtMs, 5000);
    const controller = new AbortController();
    const aborted = pacing.take(controller.signal);
    controller.abort(new Error('stopped'));
    await assert.rejects(aborted, /stopped/);
  });
});
