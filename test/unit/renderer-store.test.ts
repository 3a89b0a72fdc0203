import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobView, PartProgress } from '../../shared/job-model.ts';
import { reduceUpdate, useHoist } from '../../renderer/store/hoist-store.ts';

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
