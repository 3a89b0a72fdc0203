import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobView } from '../../shared/job-model.ts';
import { reduceUpdate, useHoist } from '../../renderer/store/hoist-store.ts';
import { summarize } from '../../renderer/store/queue-summary.ts';

const job = (id: string, state: JobView['state'], extra: Partial<JobView> = {}): JobView => ({
  id,
  path: `/data/${id}`,
  fileName: id,
  state,
  method: 'direct',
  createdAtMs: 0,
  totals: {
    sizeBytes: 100,
    bytesConfirmed: state === 'uploading' ? 40 : 0,
    bytesSent: 0,
    partsDone: 0,
    totalParts: 0,
    speedBytesPerSec: 0,
    etaSeconds: null,
  },
  ...extra,
});

describe('the queue summary', () => {
  it('counts what happened, and what is still to go includes queued files', () => {
    const summary = summarize([
      job('a', 'uploading'),
      job('b', 'queued'),
      job('c', 'done'),
      job('d', 'failed', { error: { kind: 'server-error', message: 'x' } }),
      job('e', 'failed', { refused: true, error: { kind: 'file-unreadable', message: 'x' } }),
      job('f', 'failed', { error: { kind: 'name-taken', message: 'x', takenBy: 'file' } }),
      job('g', 'paused'),
      job('h', 'waiting-sign-in'),
      job('i', 'canceled'),
    ]);
    assert.deepEqual(
      {
        active: summary.active,
        done: summary.done,
        failed: summary.failed,
        retryable: summary.retryable,
        namesTaken: summary.namesTaken,
        paused: summary.paused,
        canceled: summary.canceled,
        attention: summary.attention,
        activeRemainingBytes: summary.activeRemainingBytes,
      },
      {
        active: 3,
        done: 1,
        failed: 2,
        retryable: 1,
        namesTaken: 1,
        paused: 1,
        canceled: 1,
        attention: 4,
        activeRemainingBytes: 60 + 100 + 100,
      },
    );
  });

  it('counts rows per name as jobs come, are renamed and go', () => {
    const state = { ...useHoist.getState(), jobsById: {}, order: [], nameCounts: {} as Record<string, number> };
    const one = { ...job('1', 'queued'), fileName: 'notes.pdf' };
    const two = { ...job('2', 'queued'), fileName: 'notes.pdf' };
    let next = { ...state, ...reduceUpdate(state, { changed: [one, two], removed: [], progress: [] }) };
    assert.equal(next.nameCounts['notes.pdf'], 2);
    next = {
      ...next,
      ...reduceUpdate(next, { changed: [{ ...two, fileName: 'notes (1).pdf' }], removed: [], progress: [] }),
    };
    assert.deepEqual(next.nameCounts, { 'notes.pdf': 1, 'notes (1).pdf': 1 });
    next = { ...next, ...reduceUpdate(next, { changed: [], removed: ['1'], progress: [] }) };
    assert.deepEqual(next.nameCounts, { 'notes (1).pdf': 1 });
  });
});
