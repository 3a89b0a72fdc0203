import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobView, PartProgress } from '../../shared/job-model.ts';
import { windowRows } from '../../renderer/components/row-window.ts';
import { reduceUpdate, useHoist, type HoistState } from '../../renderer/store/hoist-store.ts';
import { summarize } from '../../renderer/store/queue-summary.ts';

const view = (id: string, state: JobView['state'] = 'uploading'): JobView => ({
  id,
  path: `/data/${id}`,
  fileName: id,
  state,
  method: 'session',
  createdAtMs: 0,
  totals: {
    sizeBytes: 100,
    bytesConfirmed: 0,
    bytesSent: 0,
    partsDone: 0,
    totalParts: 4,
    speedBytesPerSec: 0,
    etaSeconds: null,
  },
});
const part = (state: PartProgress['state'], bytesSent = 0): PartProgress => ({
  state,
  bytesSent,
  bytesConfirmed: state === 'done' ? 25 : 0,
  attempts: 1,
});

describe('renderer store', () => {
  it('applies one batch: new jobs in order, totals, only the changed parts replaced, removals', () => {
    const parts = [part('done'), part('uploading', 5), part('pending'), part('pending')];
    const state = { ...useHoist.getState(), jobsById: { a: view('a') }, order: ['a'], partsByJob: { a: parts } };
    const totals = { ...view('a').totals, bytesConfirmed: 50, partsDone: 2 };
    const next = reduceUpdate(state, {
      changed: [view('b', 'queued')],
      removed: [],
      progress: [{ jobId: 'a', totals, parts: [[1, part('done')]] }],
    });
    assert.deepEqual(next.order, ['a', 'b']);
    assert.equal(next.jobsById!['a']!.totals.bytesConfirmed, 50);
    const updated = next.partsByJob!['a']!;
    assert.notEqual(updated, parts, 'a new array, so subscribers see the change');
    assert.equal(updated[1]!.state, 'done');
    assert.equal(updated[0], parts[0], 'unchanged parts keep their identity (the part map repaints only what changed)');
    assert.equal(updated[2], parts[2]);
    const removed = reduceUpdate({ ...state, ...next } as typeof state, { changed: [], removed: ['a'], progress: [] });
    assert.deepEqual(removed.order, ['b']);
    assert.equal(removed.partsByJob!['a'], undefined);
  });

  it('the store applies a batch with one set()', () => {
    let notifications = 0;
    const unsubscribe = useHoist.subscribe(() => notifications++);
    useHoist.getState().applyUpdate({ changed: [view('x'), view('y'), view('z')], removed: [], progress: [] });
    unsubscribe();
    assert.equal(notifications, 1);
    assert.deepEqual(useHoist.getState().order.slice(-3), ['x', 'y', 'z']);
  });
});

describe('a queue of thousands of files', () => {
  it('keeps the queue summary per changed job equal to a count over every job', () => {
    let state: HoistState = { ...useHoist.getState(), jobsById: {}, order: [], partsByJob: {}, summary: summarize([]) };
    const states: JobView['state'][] = ['queued', 'uploading', 'paused', 'done', 'failed', 'canceled'];
    for (let step = 0; step < 300; step++) {
      const id = `job-${step % 40}`;
      const changed = {
        ...view(id, states[step % states.length]),
        totals: { ...view(id).totals, bytesConfirmed: step % 100 },
      };
      if (step % 7 === 0)
        changed.error = { kind: 'name-taken', message: 'taken', takenBy: step % 2 ? 'file' : 'folder' };
      const removed = step % 11 === 0 ? [`job-${(step + 3) % 40}`] : [];
      state = { ...state, ...reduceUpdate(state, { changed: [changed], removed, progress: [] }) };
      assert.deepEqual(state.summary, summarize(state.order.map((jobId) => state.jobsById[jobId]!)), `step ${step}`);
    }
  });

  it('renders only the rows near the view, with padding standing in for the rest', () => {
    const order = Array.from({ length: 10_000 }, (_, index) => `job-${index}`);
    const height = (id: string) => (id === 'job-5' ? 300 : 60);
    const top = windowRows(order, height, { topPx: 0, heightPx: 600 });
    assert.equal(top.first, 0);
    assert.ok(top.last < 40, String(top.last));
    assert.equal(top.beforePx, 0);
    const middle = windowRows(order, height, { topPx: 300_000, heightPx: 600 });
    assert.ok(middle.last - middle.first < 60);
    const total = order.reduce((sum, id) => sum + height(id), 0);
    let shown = 0;
    for (let index = middle.first; index <= middle.last; index++) shown += height(order[index]!);
    assert.equal(middle.beforePx + shown + middle.afterPx, total, 'the scroll height is the whole list');
    const pastEnd = windowRows(order.slice(0, 10), height, { topPx: 50_000, heightPx: 600 });
    assert.deepEqual([pastEnd.first, pastEnd.last, pastEnd.afterPx], [9, 9, 0]);
    assert.equal(pastEnd.beforePx, 9 * 60 + 240);
  });
});
