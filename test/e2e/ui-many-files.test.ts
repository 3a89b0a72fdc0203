import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright';
import { localboxFor } from '../helpers/localbox-fixture.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { launchChromium, openUi, waitForState } from '../helpers/ui-harness.ts';

let browser: Browser;
before(async () => (browser = await launchChromium()));
after(() => browser?.close());

const RECORD_LONG_TASKS = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longTasks.push(entry.duration); })
    .observe({ type: 'longtask', buffered: true });
})();`;

describe('a queue of thousands of files', () => {
  it('a 3,000-file folder drop: only the rows near the view are in the page, and scrolling reaches every file', async (t) => {
    const fileCount = 3000;
    const localbox = await localboxFor(t);
    const ui = await openUi(t, browser, { localbox });
    await ui.page.addInitScript(RECORD_LONG_TASKS);
    await ui.page.reload();
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

    const longTasksMs = await ui.page.evaluate(() => (globalThis as unknown as { __longTasks: number[] }).__longTasks);
    const report = {
      files: fileCount,
      rowsInPage: rendered,
      longTasks: longTasksMs.length,
      longestTaskMs: Math.round(Math.max(0, ...longTasksMs)),
      totalBlockingMs: Math.round(longTasksMs.reduce((sum, duration) => sum + Math.max(0, duration - 50), 0)),
    };
    console.log(`queue of ${fileCount} files: ${JSON.stringify(report)}`);
    const out = new URL('../../build/bench-results/', import.meta.url);
    await mkdir(out, { recursive: true });
    await writeFile(fileURLToPath(new URL('ui-many-files.json', out)), `${JSON.stringify(report, null, 2)}\n`);
  });
});
