import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { localboxFor } from '../helpers/localbox-fixture.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import type { PageGlobals } from '../helpers/page-dom.ts';
import { writePatternFile } from '../helpers/test-files.ts';
import { dropFiles, launchChromium, openUi, waitForState } from '../helpers/ui-harness.ts';

let browser: Browser;
before(async () => (browser = await launchChromium()));
after(() => browser?.close());

const rowNamed = (page: Page, name: string) =>
  page.getByRole('listitem', { name: new RegExp(`^${name.replace(/[.()]/g, '\\$&')}, `) });

/** The counts under the summary bar, as the person reads them. */
const counts = (page: Page) => page.locator('.status-counts').innerText();

async function waitForCounts(page: Page, pattern: RegExp): Promise<void> {
  await page.waitForFunction(
    (source) =>
      new RegExp(source).test(
        (globalThis as unknown as PageGlobals).document.querySelector('.status-counts')?.textContent ?? '',
      ),
    pattern.source,
    { timeout: 20_000 },
  );
}

describe('telling files apart, and the queue at a glance', () => {
  it('two 120-character names that differ only at the end read differently on screen; same names show their folders; the full name on keyboard focus', async (t) => {
    const localbox = await localboxFor(t);
    const ui = await openUi(t, browser, { localbox });
    const dir = await tempDir(t);
    const stem = 'quarterly-review-recording-for-the-leadership-offsite-in-lisbon-with-all-regional-'.padEnd(108, 'x');
    const draft = await writePatternFile(dir, `${stem}v3-DRAFT.mov`, 3000, 1);
    const final = await writePatternFile(dir, `${stem}v4-FINAL.mov`, 3000, 2);
    assert.equal(draft.path.split('/').pop()!.length, 120);
    const copies = await Promise.all(
      ['edited', 'final'].map(async (folder, index) => {
        await mkdir(join(dir, folder));
        return writePatternFile(join(dir, folder), 'meeting-notes.pdf', 2000 + index, 3 + index);
      }),
    );
    ui.dialogPaths.push(draft.path, final.path, ...copies.map((copy) => copy.path));
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    const draftRow = rowNamed(ui.page, `${stem}v3-DRAFT.mov`);
    const finalRow = rowNamed(ui.page, `${stem}v4-FINAL.mov`);
    await waitForState(draftRow, 'Done');
    await waitForState(finalRow, 'Done');

    for (const width of [640, 1200]) {
      await ui.page.setViewportSize({ width, height: 600 });
      await ui.page.waitForFunction(() =>
        (globalThis as unknown as PageGlobals).document.querySelector('.file-name')?.textContent?.includes('…'),
      );
      const shownDraft = await draftRow.locator('.file-name').innerText();
      const shownFinal = await finalRow.locator('.file-name').innerText();
      assert.notEqual(shownDraft, shownFinal, `${width} px: "${shownDraft}" and "${shownFinal}" look the same`);
      assert.match(shownDraft, /^quarterly-.*….*v3-DRAFT\.mov$/, `${width} px: the start and the end stay`);
      assert.match(shownFinal, /….*v4-FINAL\.mov$/);
      assert.ok(shownDraft.length < 120);
    }

    // The same name twice: each row says which folder it came from.
    const sameNames = ui.page.getByRole('listitem', { name: /^meeting-notes\.pdf, / });
    await sameNames.nth(1).waitFor();
    const sources = await sameNames.locator('.file-source').allInnerTexts();
    assert.deepEqual(sources.map((source) => source.split('/').pop()).sort(), ['edited', 'final']);
    assert.match(await draftRow.locator('.file-sub').innerText(), /→ All Files$/, 'where on Box it went');
    assert.equal(await draftRow.locator('.file-source').count(), 0, 'no folder when the name is unique');

    // By keyboard: focus on the row's first control shows the full name and folder, and describes it.
    await ui.page.keyboard.press('Tab'); // keyboard modality, so focus rings and the popover show
    const expand = draftRow.getByRole('button', { name: /^Show the parts of/ });
    await expand.focus();
    const popover = draftRow.locator('.name-popover');
    await popover.waitFor({ state: 'visible' });
    assert.equal(await popover.locator('.popover-name').innerText(), `${stem}v3-DRAFT.mov`);
    assert.match(await popover.innerText(), new RegExp(`From ${dir.replace(/[.]/g, '\\.')}`));
    const description = await expand.evaluate((button) =>
      (button.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id: string) => (globalThis as unknown as PageGlobals).document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    assert.ok(description.includes(`${stem}v3-DRAFT.mov`) && description.includes(dir), description);
  });

  it('counts done, failed and refused; jumps to the first needing attention; Retry failed and Clear finished; a refused row is removable', async (t) => {
    const localbox = await localboxFor(t);
    const ui = await openUi(t, browser, { localbox });
    const dir = await tempDir(t);
    const fine = await writePatternFile(dir, 'fine.txt', 1000, 1);
    await dropFiles(ui.page, [fine.path]);
    await waitForState(rowNamed(ui.page, 'fine.txt'), 'Done');
    localbox.faults.add({
      on: 'direct-upload',
      action: { kind: 'status', status: 403, code: 'access_denied_insufficient_permissions' },
      times: 2,
    });
    const failing = await Promise.all(
      ['first.txt', 'second.txt'].map((name, i) => writePatternFile(dir, name, 900, i)),
    );
    await dropFiles(ui.page, [...failing.map((file) => file.path), join(dir, 'gone.pdf')]);

    const refused = rowNamed(ui.page, 'gone.pdf');
    await waitForState(refused, 'Not added');
    assert.match(await refused.innerText(), /the file does not exist/, 'the reason stays on the row');
    assert.equal(await refused.getByRole('button', { name: /^Retry/ }).count(), 0);
    await waitForState(rowNamed(ui.page, 'second.txt'), 'Failed');
    await waitForCounts(ui.page, /1 done.*3 failed/);

    await ui.page.getByRole('button', { name: 'Go to the first needing attention' }).click();
    await ui.page.waitForFunction(() =>
      (globalThis as unknown as PageGlobals).document.activeElement?.matches('li.job'),
    );
    assert.match(
      (await ui.page.evaluate(() =>
        (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('aria-label'),
      )) ?? '',
      /^first\.txt, Failed/,
    );

    await ui.page.getByRole('button', { name: 'Retry failed' }).click();
    await waitForCounts(ui.page, /^3 done, 1 failed$/);
    assert.equal(await ui.page.getByRole('button', { name: 'Retry failed' }).count(), 0, 'nothing left to retry');

    await ui.page.getByRole('button', { name: 'Clear finished' }).click();
    await ui.page.getByRole('listitem', { name: /^fine\.txt/ }).waitFor({ state: 'detached' });
    assert.deepEqual(
      await ui.page.locator('li.job').evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label'))),
      ['gone.pdf, Not added'],
    );
    assert.equal(await counts(ui.page), '1 failed');
    assert.deepEqual(
      ui.service.listJobs().jobs.map((job) => job.fileName),
      ['gone.pdf'],
      'the done ones are gone from the service too',
    );
    await ui.page.getByRole('button', { name: 'Go to the one needing attention' }).click();
    await ui.page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('aria-label') ===
        'gone.pdf, Not added',
    );
    await refused.getByRole('button', { name: 'Remove gone.pdf from the list' }).click();
    await ui.page.getByRole('heading', { name: 'Drop files here to upload them' }).waitFor();
  });

  it('queued files show their size and count in the total', async (t) => {
    const localbox = await localboxFor(t, { connBandwidthBytesPerSec: 400_000 });
    const ui = await openUi(t, browser, { localbox });
    const dir = await tempDir(t);
    const files = await Promise.all(
      [1, 2, 3, 4].map((seed) => writePatternFile(dir, `clip-${seed}.mp4`, 3_000_000, seed)),
    );
    ui.dialogPaths.push(...files.map((file) => file.path));
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    const fourth = rowNamed(ui.page, 'clip-4.mp4');
    await waitForState(fourth, 'Queued');
    assert.equal(await fourth.locator('.file-size').innerText(), '3.0 MB', 'not "0 B"');
    assert.match(
      await ui.page.getByRole('region', { name: 'All uploads' }).locator('.totals-text').innerText(),
      / of 12\.0 MB /,
    );
  });
});
