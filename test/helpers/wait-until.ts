import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';

/** Polls `check` every 10 ms until it holds; fails with `what` if it still does not after `limitMs`. */
export async function until(check: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  for (let waitedMs = 0; waitedMs < limitMs && !check(); waitedMs += 10) await delay(10);
  assert.ok(check(), what);
}
