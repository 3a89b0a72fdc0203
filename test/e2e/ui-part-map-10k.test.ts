import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { clientFor } from '../helpers/engine-fixture.ts';
import { localboxFor } from '../helpers/localbox-fixture.ts';
import { longTaskSummary, recordLongTasks, reportUiNumbers } from '../helpers/long-tasks.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writePatternFile } from '../helpers/test-files.ts';
import { launchChromium, openUi, waitForAttribute, waitForState } from '../helpers/ui-harness.ts';

let browser: Browser;
before(async () => (browser = await launchChromium()));
after(() => browser?.close());

describe('the part map at 10,000 parts', () => {
  it('shows a real 10,000-part upload to the end, and reports the long tasks it cost', async (t) => {
    // 20,000,000 bytes (Box's minimum for a session) in parts of 2,000 bytes: 10,000 parts.
    const localbox = await localboxFor(t, { partSize: 2000 });
    const ui = await openUi(t, browser, { localbox, parallel: 8 });
    await recordLongTasks(ui.page);
    const file = await writePatternFile(await tempDir(t), 'ten-thousand.bin', 20_000_000, 501);
    ui.dialogPaths.push(file.path);
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    const row = ui.page.getByRole('listitem', { name: /^ten-thousand\.bin/ });
    await waitForState(row, 'Uploading');
    await row.getByRole('button', { name: 'Show the parts of ten-thousand.bin' }).click();
    const map = row.getByRole('img', { name: /^Part map of ten-thousand\.bin/ });
    await waitForAttribute(map, 'aria-label', /\d+ done/);
    const startedMs = Date.now();
    await waitForState(row, 'Done', { timeout: 240_000 });
    const uploadMs = Date.now() - startedMs;
    await waitForAttribute(map, 'aria-label', /: 10,000 done\./);
    assert.match(await row.innerText(), /10,000\/10,000 parts/);
    assert.equal((await clientFor(localbox).getFile(ui.service.listJobs().jobs[0]!.fileId!)).sha1, file.sha1);

    await reportUiNumbers('part map, 10,000 parts', 'ui-10k-parts.json', {
      parts: 10_000,
      uploadWithMapOpenMs: uploadMs,
      ...(await longTaskSummary(ui.page)),
    });
  });
});
