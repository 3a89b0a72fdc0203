import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { localboxFor } from '../helpers/localbox-fixture.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import type { PageElement, PageGlobals } from '../helpers/page-dom.ts';
import { writePatternFile } from '../helpers/test-files.ts';
import { launchChromium, openUi, waitForAttribute, waitForState } from '../helpers/ui-harness.ts';

let browser: Browser;
before(async () => (browser = await launchChromium()));
after(() => browser?.close());

/** The app's minimum window (electron/main/window-state.ts MIN_SIZE), a small laptop, a large screen. */
const SIZES = [
  { width: 640, height: 420 },
  { width: 800, height: 600 },
  { width: 1920, height: 1080 },
] as const;

/** What the page says about its own layout, measured in the browser. */
function measure(page: Page) {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const main = document.querySelector('main')!;
    const mainBox = main.getBoundingClientRect();
    const visibleRightPx = mainBox.left + main.clientWidth; // the vertical scrollbar excluded
    const outside = (element: PageElement) => {
      const box = element.getBoundingClientRect();
      return box.left < 0 || box.right > visibleRightPx + 0.5;
    };
    const label = (element: PageElement) => element.getAttribute('aria-label') ?? element.innerText.trim();
    const rowActions = [...document.querySelectorAll('.job-actions button')];
    const summaryParts = [
      ...document.querySelectorAll('.queue-totals button, .status-counts > span, .totals-text > *'),
    ];
    const uploading = [...document.querySelectorAll('.job-uploading')].map((row) => {
      const name = row.querySelector('.job-name')!.getBoundingClientRect();
      const speed = row.querySelector('.job-speed')!.getBoundingClientRect();
      return { nameTopPx: name.top, nameBottomPx: name.bottom, speedTopPx: speed.top };
    });
    const partMaps = [...document.querySelectorAll('.part-map-canvas')].map((canvas) => {
      const row = canvas.closest('li')!.getBoundingClientRect();
      const box = canvas.getBoundingClientRect();
      return box.left >= row.left && box.right <= row.right;
    });
    return {
      partMaps,
      pageScrollsSideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      mainScrollsSideways: main.scrollWidth > main.clientWidth,
      rowActions: rowActions.length,
      rowActionsOutside: rowActions.filter(outside).map(label),
      summaryOutside: summaryParts.filter(outside).map(label),
      uploading,
    };
  });
}

describe('the window at every size', () => {
  it('at 640×420, 800×600 and 1920×1080, uploading with a part map open: no sideways scroll, every action on screen, speed under the name when narrow', async (t) => {
    const localbox = await localboxFor(t, { partSize: 1024 * 1024 + 1, connBandwidthBytesPerSec: 1_000_000 });
    const ui = await openUi(t, browser, { localbox, parallel: 2 });
    const dir = await tempDir(t);
    const notes = await writePatternFile(dir, 'meeting-notes.pdf', 20_000, 1);
    const movie = await writePatternFile(
      dir,
      `${'interview-with-the-regional-team-about-the-autumn-campaign-'.padEnd(100, 'x')}-v3-DRAFT.mov`,
      40_000_000,
      2,
    );
    const archive = await writePatternFile(dir, 'project-archive.zip', 30_000_000, 3);
    ui.dialogPaths.push(notes.path, movie.path, archive.path, join(dir, 'went-missing.tiff'));
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    await waitForState(ui.page.getByRole('listitem', { name: /^meeting-notes\.pdf/ }), 'Done');
    const movieRow = ui.page.getByRole('listitem', { name: /^interview-with/ });
    await waitForState(movieRow, 'Uploading');
    await movieRow.getByRole('button', { name: /^Show the parts of/ }).click();
    await waitForAttribute(ui.page.getByRole('img', { name: /^Part map of interview/ }), 'aria-label', /uploading/);
    await ui.page.getByRole('listitem', { name: /^went-missing\.tiff, Not added/ }).waitFor();

    for (const size of SIZES) {
      await ui.page.setViewportSize(size);
      await ui.page.waitForFunction(
        () =>
          (globalThis as unknown as PageGlobals).document.querySelector('.job-uploading .job-speed')?.textContent !==
          '',
      );
      const layout = await measure(ui.page);
      const at = `${size.width}×${size.height}`;
      assert.equal(layout.pageScrollsSideways, false, `${at}: the page scrolls sideways`);
      assert.equal(layout.mainScrollsSideways, false, `${at}: the list scrolls sideways`);
      assert.ok(layout.rowActions >= 7, `${at}: ${layout.rowActions} row actions`);
      assert.deepEqual(layout.rowActionsOutside, [], `${at}: row actions off screen`);
      assert.deepEqual(layout.summaryOutside, [], `${at}: summary pieces off screen`);
      assert.ok(layout.uploading.length > 0);
      assert.deepEqual(layout.partMaps, [true], `${at}: the part map stays inside its row`);
      for (const row of layout.uploading) {
        if (size.width < 900)
          assert.ok(row.speedTopPx >= row.nameBottomPx - 1, `${at}: speed on its own line: ${JSON.stringify(row)}`);
        else assert.ok(row.speedTopPx < row.nameBottomPx, `${at}: speed beside the name: ${JSON.stringify(row)}`);
      }
    }
  });
});
