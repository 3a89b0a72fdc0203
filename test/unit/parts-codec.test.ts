import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PartProgress } from '../../shared/job-model.ts';
import { decodeParts, encodeParts } from '../../shared/parts-codec.ts';
import { summarizeParts } from '../../renderer/components/part-map-layout.ts';

describe('parts codec', () => {
  it('round-trips every part state, bytes in flight, retries and errors compactly', () => {
    const parts: PartProgress[] = [
      { state: 'done', bytesSent: 10, bytesConfirmed: 10, attempts: 1 },
      { state: 'uploading', bytesSent: 4, bytesConfirmed: 0, attempts: 1 },
      { state: 'retrying', bytesSent: 0, bytesConfirmed: 0, attempts: 2, lastError: '503 unavailable' },
      { state: 'reading', bytesSent: 0, bytesConfirmed: 0, attempts: 0 },
      { state: 'failed', bytesSent: 0, bytesConfirmed: 0, attempts: 6, lastError: 'gone' },
      { state: 'done', bytesSent: 5, bytesConfirmed: 5, attempts: 1 },
    ];
    const encoded = encodeParts('j', parts, 10, 55);
    assert.equal(encoded.states, 'dutrfd');
    assert.equal(encoded.details.length, 3);
    assert.deepEqual(decodeParts(JSON.parse(JSON.stringify(encoded))), parts);
  });

  it('keeps 10,000 plain parts small', () => {
    const parts: PartProgress[] = Array.from({ length: 10_000 }, (_, index) =>
      index < 5000
        ? { state: 'done', bytesSent: 2000, bytesConfirmed: 2000, attempts: 1 }
        : { state: 'pending', bytesSent: 0, bytesConfirmed: 0, attempts: 0 },
    );
    const encoded = encodeParts('j', parts, 2000, 20_000_000);
    assert.ok(JSON.stringify(encoded).length < 11_000);
    const decoded = decodeParts(encoded);
    assert.deepEqual(decoded, parts);
    assert.equal(new Set(decoded).size, 2, 'plain parts share one object per state and size');
    assert.ok(Object.isFrozen(decoded[0]), 'and nobody can change a shared one in place');
  });

  it("the map's summary counts every state, most telling first", () => {
    const parts = decodeParts({
      jobId: 'j',
      states: 'ddddutrpppf',
      details: [],
      partSizeBytes: 10,
      fileSizeBytes: 110,
    });
    assert.equal(summarizeParts(parts), '4 done, 1 uploading, 1 reading, 1 retrying, 1 failed, 3 pending');
    assert.equal(summarizeParts([]), '');
  });
});
