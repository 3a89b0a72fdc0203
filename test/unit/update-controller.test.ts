import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import {
  CHECK_INTERVAL_MS,
  UpdateController,
  type UpdateScheduler,
  type UpdaterPort,
} from '../../electron/service/update-controller.ts';
import type { Notice } from '../../shared/job-model.ts';
import type { UpdateView } from '../../shared/update-model.ts';

/** electron-updater's autoUpdater as the controller sees it: events, a check, an install. */
class FakeUpdater extends EventEmitter implements UpdaterPort {
  checks = 0;
  installs = 0;
  failCheck: Error | undefined;
  async checkForUpdates(): Promise<unknown> {
    this.checks++;
    if (this.failCheck) throw this.failCheck;
    return null;
  }
  quitAndInstall(): void {
    this.installs++;
  }
}

/** Time that moves only when the test says. */
class ManualScheduler implements UpdateScheduler {
  readonly timers: Array<{ intervalMs: number; run: () => void; active: boolean }> = [];
  every(intervalMs: number, run: () => void): () => void {
    const timer = { intervalMs, run, active: true };
    this.timers.push(timer);
    return () => void (timer.active = false);
  }
  pass(ms: number): void {
    for (const timer of this.timers) {
      if (!timer.active) continue;
      for (let elapsed = timer.intervalMs; elapsed <= ms; elapsed += timer.intervalMs) timer.run();
    }
  }
}

function setUp(uploads = { running: false }) {
  const port = new FakeUpdater();
  const controller = new UpdateController(port, () => uploads.running);
  const views: UpdateView[] = [];
  const notices: Notice[] = [];
  controller.on('changed', (view) => views.push(view));
  controller.on('notice', (notice) => notices.push(notice));
  return { port, controller, views, notices, uploads, scheduler: new ManualScheduler() };
}

const newer = { version: '2.0.0' };

describe('the update decision logic', () => {
  it('checks at start and every 6 hours, never while a check, a download or a ready update is pending', () => {
    const { port, controller, scheduler } = setUp();
    controller.start(scheduler);
    assert.equal(port.checks, 1, 'at start');
    assert.equal(scheduler.timers[0]!.intervalMs, CHECK_INTERVAL_MS);
    scheduler.pass(CHECK_INTERVAL_MS);
    assert.equal(port.checks, 1, 'the first check has not answered yet');
    port.emit('update-not-available');
    scheduler.pass(CHECK_INTERVAL_MS - 1);
    assert.equal(port.checks, 1, 'not before 6 hours');
    scheduler.pass(CHECK_INTERVAL_MS);
    assert.equal(port.checks, 2);
    port.emit('update-available', newer);
    scheduler.pass(CHECK_INTERVAL_MS * 3);
    assert.equal(port.checks, 2, 'not while downloading');
    port.emit('update-downloaded', newer);
    scheduler.pass(CHECK_INTERVAL_MS);
    assert.equal(port.checks, 2, 'not while an update waits to be installed');
    controller.stop();
  });

  it('offers "Restart to update" once downloaded, and never restarts while uploads run', () => {
    const { port, controller, views, uploads } = setUp({ running: true });
    controller.check();
    port.emit('update-available', newer);
    assert.equal(controller.view.state, 'downloading');
    port.emit('update-downloaded', newer);
    assert.deepEqual(controller.view, { state: 'ready', version: '2.0.0', canRestart: false });
    assert.throws(() => controller.restart(), /once the uploads running now have finished or are paused/);
    assert.equal(port.installs, 0);
    uploads.running = false;
    controller.uploadsChanged();
    assert.deepEqual(views.at(-1), { state: 'ready', version: '2.0.0', canRestart: true });
    controller.restart();
    assert.equal(port.installs, 1);
    assert.equal(controller.view.state, 'installing');
  });

  it('discards an update that fails to verify, says so once, and checks again later', () => {
    const { port, controller, notices, scheduler } = setUp();
    controller.start(scheduler);
    port.emit('update-available', newer);
    const mismatch = Object.assign(new Error('sha512 checksum mismatch, expected abc, got def'), {
      code: 'ERR_CHECKSUM_MISMATCH',
    });
    port.emit('error', mismatch);
    assert.equal(controller.view.state, 'idle');
    assert.throws(() => controller.restart(), /no update ready/);
    assert.equal(notices.length, 1);
    assert.match(notices[0]!.message, /Hoist 2\.0\.0 did not match what its publisher signed, so it was discarded/);
    scheduler.pass(CHECK_INTERVAL_MS);
    assert.equal(port.checks, 2, 'tried again at the next check');
    port.emit('update-available', newer);
    port.emit('error', Object.assign(new Error('not signed'), { code: 'ERR_UPDATER_INVALID_SIGNATURE' }));
    assert.equal(notices.length, 2, 'a bad Windows signature is discarded the same way');
    controller.stop();
  });

  it('an unreachable feed is quiet: no notice, back to idle, the next check runs', async () => {
    const { port, controller, notices, scheduler } = setUp();
    port.failCheck = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    controller.start(scheduler);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(controller.view.state, 'idle');
    assert.deepEqual(notices, []);
    scheduler.pass(CHECK_INTERVAL_MS);
    assert.equal(port.checks, 2);
    controller.stop();
  });
});
