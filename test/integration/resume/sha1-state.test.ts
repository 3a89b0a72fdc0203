import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JobJournal } from '../../../electron/engine/journal/job-journal.ts';
import { JournalStore } from '../../../electron/engine/journal/journal-store.ts';
import { ResumableSha1 } from '../../../electron/engine/sha1/resumable-sha1.ts';
import type { SavedSha1State } from '../../../electron/engine/sha1/sha1-state.ts';
import { assertStored, queueFor, waitForState } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

const PART_BYTES = 2 * 1024 * 1024 + 1;

describe('a saved SHA-1 state the server rejects at commit', () => {
  it('is rebuilt once from the file on disk, and the commit succeeds', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 8_000_000 });
    const journalDir = join(await tempDir(t), 'journal');
    const target = { kind: 'custom' as const, apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` };
    const file = await writePatternFile(await tempDir(t), 'rehash.bin', 25_000_000, 911);

    const firstJournal = new JobJournal(JournalStore.open(journalDir), { target, keepFailed: 'all' });
    const first = queueFor(t, localbox, { hooks: firstJournal });
    const job = first.add({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
    await until(() => job.record.wholeFile.bytesHashed >= 3 * PART_BYTES, 'part of the file was hashed', 30_000);
    job.pause();
    await waitForState(first, job, ['paused']);
    firstJournal.flush();

    // The saved state now describes other bytes of the same length: its digest cannot match.
    const jobsPath = join(journalDir, 'jobs.json');
    const saved = JSON.parse(readFileSync(jobsPath, 'utf8')) as {
      jobs: Record<string, { sha1State: SavedSha1State }>;
    };
    const header = saved.jobs[job.id]!;
    const hashed = ResumableSha1.restore(header.sha1State).bytesHashed;
    const wrong = ResumableSha1.create();
    wrong.update(Buffer.alloc(hashed, 0x5a));
    header.sha1State = wrong.save();
    writeFileSync(jobsPath, JSON.stringify(saved));

    const journal = new JobJournal(JournalStore.open(journalDir), { target, keepFailed: 'all' });
    const second = queueFor(t, localbox, { hooks: journal });
    const [restored] = journal.restore();
    const again = second.adopt(restored!.record);
    const view = await waitForState(second, again, ['done', 'failed'], 60_000);
    await assertStored(second, view, file.sha1);
    assert.equal(localbox.stats().requestsByOperation['commit'], 2, 'refused once, then committed');
  });
});
