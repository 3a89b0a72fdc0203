import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { tempDir } from '../helpers/temp-dir.ts';
import { writePatternFile } from '../helpers/test-files.ts';
import { launchChromium, openUi, waitForState } from '../helpers/ui-harness.ts';
import { until } from '../helpers/wait-until.ts';

let browser: Browser;
before(async () => (browser = await launchChromium()));
after(() => browser?.close());

describe('after the upload, in a real browser: Open on Box, Copy shared link, Recent uploads', () => {
  it('a done row opens the file on the local Box and copies a shared link that works', async (t) => {
    const ui = await openUi(t, browser);
    const file = await writePatternFile(await tempDir(t), 'budget.txt', 3000, 41);
    ui.dialogPaths.push(file.path);
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    const row = ui.page.getByRole('listitem', { name: /^budget\.txt/ });
    await waitForState(row, 'Done');
    const fileId = ui.service.listJobs().jobs[0]!.fileId!;

    await row.getByRole('button', { name: 'Open budget.txt on Box' }).click();
    await until(() => ui.openedInBrowser.length === 1, 'the system browser was asked to open a page');
    assert.equal(ui.openedInBrowser[0], `${ui.service.embeddedLocalbox!.url}/file/${fileId}`);

    await row.getByRole('button', { name: 'Copy a shared link to budget.txt' }).click();
    await until(() => ui.clipboard.length === 1, 'a link was copied');
    const link = ui.clipboard[0]!;
    assert.match(link, new RegExp(`^${ui.service.embeddedLocalbox!.url}/s/[a-z0-9]{32}$`));
    await ui.page.getByText(/^Link to budget\.txt copied: .*\(open to people in your company\)\.$/).waitFor();
    assert.equal((await fetch(link)).status, 200, 'the copied link opens');
  });

  it('Recent uploads, by keyboard and by the header button: kept when the row leaves the queue, searchable, sharable, clearable', async (t) => {
    const ui = await openUi(t, browser);
    const dir = await tempDir(t);
    const files = await Promise.all(
      ['minutes-march.pdf', 'minutes-april.pdf', 'photo.jpg'].map((name, index) =>
        writePatternFile(dir, name, 2000, 50 + index),
      ),
    );
    ui.dialogPaths.push(...files.map((file) => file.path));
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    for (const name of ['minutes-march.pdf', 'minutes-april.pdf', 'photo.jpg'])
      await waitForState(ui.page.getByRole('listitem', { name: new RegExp(`^${name.replace('.', '\\.')}`) }), 'Done');
    await ui.page.getByRole('button', { name: 'Remove photo.jpg from the list' }).click();
    await ui.page.getByRole('listitem', { name: /^photo\.jpg/ }).waitFor({ state: 'detached' });

    await ui.page.keyboard.press('Control+Shift+H');
    const view = ui.page.getByRole('dialog', { name: 'Recent uploads' });
    await view.waitFor();
    const list = view.getByRole('list', { name: 'Recent uploads' });
    await list.getByRole('listitem').nth(2).waitFor();
    assert.equal(await list.getByRole('listitem').count(), 3, 'the row cleared from the queue is still here');
    assert.match(
      await view.getByRole('listitem', { name: 'photo.jpg' }).innerText(),
      /2\.0 kB .* Embedded local Box › All Files/,
    );

    await view
      .getByRole('listitem', { name: 'photo.jpg' })
      .getByRole('button', { name: 'Copy a shared link to photo.jpg' })
      .click();
    await until(() => ui.clipboard.length === 1, 'a link was copied from the history');
    await view.getByText(ui.clipboard[0]!).waitFor();

    await view.getByRole('searchbox', { name: 'Search recent uploads' }).fill('minutes');
    await view.getByRole('status').getByText('2 uploads').waitFor();
    // The three uploads ran at once, so which finished first (newest first in the list) varies.
    assert.deepEqual(
      (
        await list.getByRole('listitem').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')))
      ).sort(),
      ['minutes-april.pdf', 'minutes-march.pdf'],
    );
    await view
      .getByRole('listitem', { name: 'minutes-march.pdf' })
      .getByRole('button', { name: 'Open minutes-march.pdf on Box' })
      .click();
    await until(() => ui.openedInBrowser.length === 1, 'a page was opened from the history');

    await ui.page.keyboard.press('Escape');
    await view.waitFor({ state: 'hidden' });
    await ui.page.getByRole('button', { name: 'Recent uploads' }).click();
    await view.waitFor();
    await view.getByRole('searchbox', { name: 'Search recent uploads' }).fill('');
    await view.getByRole('button', { name: 'Clear history…' }).click();
    await view.getByRole('button', { name: 'Clear', exact: true }).click();
    await view.getByText(/^Nothing uploaded yet/).waitFor();
    assert.equal(ui.service.listHistory().totalCount, 0);
  });
});
