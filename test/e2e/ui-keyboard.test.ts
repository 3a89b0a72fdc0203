import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { clientFor } from '../helpers/engine-fixture.ts';
import { localboxFor } from '../helpers/localbox-fixture.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writePatternFile } from '../helpers/test-files.ts';
import { launchChromium, openUi, waitForState } from '../helpers/ui-harness.ts';

let browser: Browser;
before(async () => (browser = await launchChromium()));
after(() => browser?.close());

const PART_BYTES = 2 * 1024 * 1024 + 1;

/** What holds focus: its accessible name, the file row it is in, and whether it is in the dialog. */
interface Focused {
  name: string;
  tag: string;
  row: string | undefined;
  inDialog: boolean;
  inSummary: boolean;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(`(() => {
    const element = document.activeElement;
    const row = element.closest('[data-job-id]');
    return {
      name: element.getAttribute('aria-label') ?? element.textContent.trim().replace(/\\s+/g, ' '),
      tag: element.tagName.toLowerCase(),
      row: row ? row.querySelector('.file-name').textContent : undefined,
      inDialog: Boolean(element.closest('dialog')),
      inSummary: Boolean(element.closest('.queue-totals')),
    };
  })()`);
}

/** Presses Tab (or Shift+Tab) until the focused control's name matches, as a person would. */
async function tabTo(page: Page, name: string | RegExp, backwards = false): Promise<Focused> {
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (typeof name === 'string' ? now.name === name : name.test(now.name)) return now;
  }
  throw new Error(`Tab never reached ${String(name)}`);
}

/** Waits until focus is on a control matching `expected` (the page updates after main answers). */
async function focusSettles(page: Page, expected: (now: Focused) => boolean, what: string): Promise<Focused> {
  let now = await focused(page);
  for (let waitedMs = 0; !expected(now); waitedMs += 50) {
    if (waitedMs > 10_000) assert.fail(`focus should be ${what}, is on ${JSON.stringify(now)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    now = await focused(page);
  }
  return now;
}

describe('the whole window by keyboard only, with focus where a person expects it after every step', () => {
  it('add, expand, part map, pause/resume/retry, a name in use, skip to what needs attention, Settings and the folder picker', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 1_000_000 });
    const projects = await clientFor(localbox).createFolder('Projects', '0');
    await clientFor(localbox).createFolder('2026', projects.id);
    localbox.faults.add({
      on: 'direct-upload',
      skip: 0,
      action: { kind: 'status', status: 403, code: 'access_denied_insufficient_permissions' },
    });
    const ui = await openUi(t, browser, { localbox, parallel: 2 });
    const { page } = ui;
    const dir = await tempDir(t);
    await mkdir(join(dir, 'again'));
    const big = await writePatternFile(dir, 'big.bin', 24_000_000, 601);
    const denied = await writePatternFile(dir, 'notes.txt', 1000, 602);
    const again = await writePatternFile(join(dir, 'again'), 'notes.txt', 1100, 603);
    await page.getByRole('heading', { name: 'Drop files here to upload them' }).waitFor();

    // Add files… in the empty state goes away with it: focus goes to the Add files… that replaces it.
    ui.dialogPaths.push(big.path);
    await tabTo(page, 'Add files…');
    await page.keyboard.press('Enter');
    const bigRow = page.getByRole('listitem', { name: /^big\.bin/ });
    await waitForState(bigRow, 'Uploading');
    await focusSettles(page, (f) => f.name === 'Add files…' && f.inSummary, 'on the summary’s Add files…');

    // Expand: focus stays on the same button, now saying Hide.
    await tabTo(page, 'Show the parts of big.bin');
    await page.keyboard.press('Enter');
    let now = await focused(page);
    assert.equal(now.name, 'Hide the parts of big.bin');

    // The part map: one stop, arrow keys pick a part; one ring (the canvas's own is off then).
    await tabTo(page, /^Part map of big\.bin/);
    const map = bigRow.getByRole('img', { name: /^Part map of big\.bin/ });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const tooltip = bigRow.getByRole('tooltip');
    assert.match(await tooltip.innerText(), /^Part 2: /);
    assert.equal(
      await map.evaluate((canvas) => canvas.ownerDocument.defaultView!.getComputedStyle(canvas).outlineStyle),
      'none',
    );
    const tip = (await tooltip.boundingBox())!;
    const legend = (await bigRow.getByRole('list', { name: 'Legend' }).boundingBox())!;
    assert.ok(tip.y + tip.height <= legend.y, 'the part’s description does not cover the legend');
    await page.keyboard.press('End');
    assert.match(await tooltip.innerText(), /^Part 12: /);

    // Pause gives way to Resume in the same place, and back.
    await tabTo(page, 'Pause big.bin');
    await page.keyboard.press('Enter');
    await waitForState(bigRow, 'Paused');
    await focusSettles(page, (f) => f.name === 'Resume big.bin', 'on Resume');
    await page.keyboard.press('Enter');
    await waitForState(bigRow, 'Uploading');
    await focusSettles(page, (f) => f.name === 'Pause big.bin', 'on Pause');
    // Paused again, so the small files below need not wait for it.
    await page.keyboard.press('Enter');
    await waitForState(bigRow, 'Paused');
    await focusSettles(page, (f) => f.name === 'Resume big.bin', 'on Resume again');

    // A failed file: Retry goes away once it runs; focus stays in its row.
    ui.dialogPaths.push(denied.path);
    await tabTo(page, 'Add files…', true);
    await page.keyboard.press('Enter');
    const deniedRow = page.getByRole('listitem', { name: /^notes\.txt, Failed/ });
    await deniedRow.waitFor();
    await focusSettles(page, (f) => f.name === 'Add files…', 'still on Add files…');
    await tabTo(page, 'Retry notes.txt');
    await page.keyboard.press('Enter');
    await waitForState(page.getByRole('listitem', { name: /^notes\.txt/ }), 'Done');
    await focusSettles(page, (f) => f.row === 'notes.txt' && f.tag === 'button', 'in the retried row');

    // A name in use: Keep both goes away with the question; focus stays in that row.
    ui.dialogPaths.push(again.path);
    await tabTo(page, 'Add files…', true);
    await page.keyboard.press('Enter');
    // Rows by place: the name changes when both are kept.
    const conflictRow = page.locator('[data-job-id]').nth(2);
    await waitForState(conflictRow, 'Name in use');
    now = await tabTo(page, 'Keep both');
    assert.equal(now.row, 'notes.txt');
    await page.keyboard.press('Enter');
    await waitForState(conflictRow, 'Done');
    await focusSettles(page, (f) => f.row === 'notes (1).txt' && f.tag === 'button', 'in the same row');

    // Skip links: from the top of the page, straight to a file needing attention (a paused one).
    await tabTo(page, 'Settings', true);
    await page.keyboard.press('Alt+N');
    await focusSettles(page, (f) => f.name === 'Resume big.bin', 'on the paused file’s Resume');
    await tabTo(page, 'Skip to the summary', true);
    await page.keyboard.press('Enter');
    now = await focused(page);
    assert.equal(now.tag, 'section', 'the summary itself holds focus');

    // Settings: the folder picker takes focus, opening a folder keeps it inside, and Escape closes
    // the picker first (back on Change…), then Settings (back on the Settings button).
    await tabTo(page, 'Settings', true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    await tabTo(page, 'Change the folder uploads go into');
    await page.keyboard.press('Enter');
    await focusSettles(page, (f) => f.name === 'Projects', 'on the first folder');
    await page.keyboard.press('Enter');
    await focusSettles(page, (f) => f.name === '2026', 'on the first folder inside Projects');
    await page.keyboard.press('Escape');
    await focusSettles(page, (f) => f.name === 'Change the folder uploads go into', 'back on Change…');
    assert.ok(await dialog.isVisible(), 'Escape closed only the picker');
    assert.equal(await dialog.getByRole('group', { name: 'Choose a folder' }).count(), 0);
    await page.keyboard.press('Enter');
    await focusSettles(page, (f) => f.name === 'Projects', 'on the first folder again');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await focusSettles(page, (f) => f.name === 'Settings', 'back on the Settings button');

    // Reopened, Settings starts clean: no picker, Change… ready.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    const change = dialog.getByRole('button', { name: 'Change the folder uploads go into' });
    assert.ok(await change.isEnabled());
    assert.equal(await change.getAttribute('aria-expanded'), 'false');
    assert.equal(await dialog.getByRole('group', { name: 'Choose a folder' }).count(), 0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });
});
