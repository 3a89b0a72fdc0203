import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PartProgress } from '../../shared/job-model.ts';
import { decodeParts, encodeParts } from '../../shared/parts-codec.ts';

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
    assert.deepEqual(decodeParts(encoded), parts);
  });
});
