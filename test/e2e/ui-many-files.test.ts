import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { localboxFor } from '../helpers/localbox-fixture.ts';
import { longTaskSummary, recordLongTasks, reportUiNumbers } from '../helpers/long-tasks.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { launchChromium, openUi, waitForState } from '../helpers/ui-harness.ts';

let browser: Browser;
before(async () => (browser = await launchChromium()));
after(() => browser?.close());

describe('a queue of thousands of files', () => {
  it('a 3,000-file folder drop: only the rows near the view are in the page, and scrolling reaches every file', async (t) => {
    const fileCount = 3000;
    const localbox = await localboxFor(t);
    const ui = await openUi(t, browser, { localbox });
    await recordLongTasks(ui.page);
    const root = join(await tempDir(t), 'scans');
    await mkdir(root);
    for (let index = 0; index < fileCount; index++)
      await writeFile(join(root, `scan-${String(index).padStart(4, '0')}.txt`), `scan ${index}`);

    const finished = new Promise((resolve) => ui.service.once('batch-finished', resolve));
    const added = await ui.service.addFiles([root]);
    assert.equal(added.added.length, fileCount);
    assert.deepEqual(await finished, { done: fileCount, failed: 0, canceled: 0 });

    const totals = ui.page.getByRole('region', { name: 'All uploads' });
    await totals.getByText(`${fileCount} files`).waitFor();
    await totals.getByText(/\(100%\)/).waitFor();
    const rows = ui.page.getByRole('listitem');
    const rendered = await rows.count();
    assert.ok(rendered > 5 && rendered < 200, `${rendered} of ${fileCount} rows are in the page`);
    assert.equal(await rows.first().getAttribute('aria-setsize'), String(fileCount));
    assert.equal(await rows.first().getAttribute('aria-posinset'), '1');

    // The scrollbar stands for every file: the last one is at the bottom, and done.
    await ui.page.locator('main').evaluate((main) => main.scrollTo(0, main.scrollHeight));
    const last = ui.page.getByRole('listitem', { name: /^scan-2999\.txt/ });
    await waitForState(last, 'Done');
    assert.equal(await last.getAttribute('aria-posinset'), String(fileCount));
    assert.ok((await rows.count()) < 200);

    await reportUiNumbers(`queue of ${fileCount} files`, 'ui-many-files.json', {
      files: fileCount,
      rowsInPage: rendered,
      ...(await longTaskSummary(ui.page)),
    });
  });
});
