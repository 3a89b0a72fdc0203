import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory removed when the test ends. */
export async function tempDir(t: { after(cleanup: () => unknown): void }, prefix = 'hoist-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  // Retries: a service's delayed write (the recent-uploads history) may land while it is removed.
  t.after(() => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }));
  return dir;
}
