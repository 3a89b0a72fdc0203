import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { queueFor, uploadOne } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('pacing under Box’s upload rate limit', () => {
  // Box allows 240 upload requests a minute; localbox's limit is scaled down to 15 per 1.5 s
  // (10 a second) so that a drop larger than the window runs in seconds.
  it('a drop of small files meets one 429 per job in flight, then paces at the rate it learned', async (t) => {
    const localbox = await localboxFor(t, { uploadRequestsPerMinute: 15, uploadRateWindowMs: 1500 });
    const dir = await tempDir(t);
    const paths = await Promise.all(
      Array.from({ length: 45 }, async (_, index) => {
        const path = join(dir, `small-${index}.txt`);
        await writeFile(path, `file ${index}\n`);
        return path;
      }),
    );
    const queue = queueFor(t, localbox, { maxActiveJobs: 3, checkQuota: false });
    queue.setMaxListeners(paths.length + 10);
    const views = await Promise.all(paths.map((path) => uploadOne(queue, path)));
    assert.deepEqual(
      views.filter((view) => view.state !== 'done').map((view) => view.error),
      [],
      'every file uploaded',
    );
    const { rateLimitedRequests, requestsByOperation } = localbox.stats();
    assert.ok(rateLimitedRequests >= 1, 'the drop was larger than the window allows');
    // Only the requests already on their way when the first 429 came back (one per job running).
    assert.ok(rateLimitedRequests <= 3, `${rateLimitedRequests} answers 429`);
    assert.equal(requestsByOperation['direct-upload'], 45 + rateLimitedRequests);
    assert.ok(queue.client.uploadPacing.requestsPerSecond! > 0, 'the client learned a rate from retry-after');
    assert.ok(queue.client.uploadPacing.requestsPerSecond! <= 10, 'no faster than the server allows');
  });
});
