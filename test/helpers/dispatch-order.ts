import assert from 'node:assert/strict';
import type { PartAttempt } from '../../electron/localbox/localbox-stats.ts';

/** Part PUTs as the server saw them, in the order they arrived. */
export const arrivals = (attempts: PartAttempt[]): PartAttempt[] =>
  [...attempts].sort((a, b) => a.startSeq - b.startSeq);

/**
 * The pipeline's rule seen from the server: when a part fails, the parts still in flight may
 * arrive (at most P, all within P parts of it, since dispatch is in order), but no part beyond
 * that window may start before the failed part's retry.
 */
export function assertRetriedBeforeLaterParts(attempts: PartAttempt[], partSizeBytes: number, parallel: number): void {
  const seen = arrivals(attempts);
  const failures = seen.filter((attempt) => attempt.status !== 200 && attempt.status !== 416);
  assert.ok(failures.length > 0, 'the test injected at least one failure');
  for (const failure of failures) {
    const retry = seen.find((attempt) => attempt.offset === failure.offset && attempt.startSeq > failure.startSeq);
    assert.ok(retry, `part at ${failure.offset} was retried`);
    const windowEnd = failure.offset + parallel * partSizeBytes;
    const jumped = seen.filter(
      (attempt) =>
        attempt.startSeq > failure.endSeq! && attempt.startSeq < retry.startSeq && attempt.offset >= windowEnd,
    );
    assert.deepEqual(jumped, [], `no part beyond the in-flight window started before the retry of ${failure.offset}`);
  }
}
