import assert from 'node:assert/strict';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { clientFor } from '../helpers/engine-fixture.ts';
import { call, localboxFor } from '../helpers/localbox-fixture.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { sha1Hex, writePatternFile } from '../helpers/test-files.ts';
import { launchChromium, openUi, waitForAttribute, waitForState } from '../helpers/ui-harness.ts';
import { readFile } from 'node:fs/promises';

const PART_BYTES = 2 * 1024 * 1024 + 1;
let browser: Browser;
before(async () => (browser = await launchChromium()));
after(() => browser?.close());

describe('errors, settings and keyboard in a real browser', () => {
  it('shows a run of 503s as a part retrying (with its attempts and error), then recovering', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 10_000_000 });
    localbox.faults.add({
      on: 'upload-part',
      skip: 2,
      times: 3,
      action: { kind: 'status', status: 503, retryAfterSeconds: 2 },
    });
    const ui = await openUi(t, browser, { localbox });
    const file = await writePatternFile(await tempDir(t), 'flaky.bin', 30_000_000, 401);
    ui.dialogPaths.push(file.path);
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    const row = ui.page.getByRole('listitem', { name: /^flaky\.bin/ });
    await row.getByRole('button', { name: 'Show the parts of flaky.bin' }).click();
    const map = row.getByRole('img', { name: /^Part map of flaky\.bin/ });
    await waitForAttribute(map, 'aria-label', /retrying/);
    const jobId = ui.service.listJobs().jobs[0]!.id;
    const retrying = ui.service.getParts(jobId).states.indexOf('t');
    assert.ok(retrying >= 0);
    await map.focus();
    for (let step = 0; step <= retrying; step++) await ui.page.keyboard.press('ArrowRight');
    // The window hears of the retry with the next progress batch (about 100 ms, more on a busy
    // machine); the part stays retrying for the 2 s retry-after, so give it part of that.
    let tooltip = '';
    for (let waitedMs = 0; waitedMs < 1800 && !/503/.test(tooltip); waitedMs += 50) {
      tooltip = await row.getByRole('tooltip').innerText();
      if (!/503/.test(tooltip)) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(tooltip, new RegExp(`^Part ${retrying + 1}: (retrying|uploading)`));
    assert.match(tooltip, /503/, 'the last error is shown');
    await waitForState(row, 'Done', { timeout: 40_000 });
    assert.match((await map.getAttribute('aria-label')) ?? '', /: 15 done\./);
    assert.equal(localbox.stats().partAttempts.filter((attempt) => attempt.status === 503).length, 3);
  });

  it('says in words when the file changed on disk, and Retry uploads the file as it is now', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 4_000_000 });
    const ui = await openUi(t, browser, { localbox });
    const file = await writePatternFile(await tempDir(t), 'edited.bin', 30_000_000, 402);
    ui.dialogPaths.push(file.path);
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    const row = ui.page.getByRole('listitem', { name: /^edited\.bin/ });
    await waitForState(row, 'Uploading');
    await appendFile(file.path, 'more data');
    await waitForState(row, 'Failed');
    assert.match(
      await row.getByRole('alert').innerText(),
      /The file changed on disk while it was uploading \(its size changed from 30,000,000 to 30,000,009 bytes\); nothing was committed/,
    );
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0/items')).body?.['total_count'], 0);
    await row.getByRole('button', { name: 'Retry edited.bin' }).click();
    await waitForState(row, 'Done', { timeout: 60_000 });
    const stored = await clientFor(localbox).getFile(ui.service.listJobs().jobs[0]!.fileId!);
    assert.equal(stored.sha1, sha1Hex(await readFile(file.path)), 'the new content, whole');
  });

  it('a name already in the folder: keep both for all, replace one, and a setting for files added later', async (t) => {
    const localbox = await localboxFor(t);
    const ui = await openUi(t, browser, { localbox });
    const { page } = ui;
    const root = await tempDir(t);
    const files: Array<{ path: string; sha1: string }> = [];
    for (const [index, dir] of ['a', 'b', 'c', 'd'].entries()) {
      await mkdir(join(root, dir));
      files.push(await writePatternFile(join(root, dir), 'same.txt', 1000 + index, 410 + index));
    }
    const add = async (...paths: string[]) => {
      ui.dialogPaths.push(...paths);
      await page.getByRole('button', { name: 'Add files…' }).click();
    };
    const rows = page.getByRole('listitem');
    await add(files[0]!.path);
    await waitForState(rows.nth(0), 'Done');

    await add(files[1]!.path, files[2]!.path);
    await waitForState(rows.nth(1), 'Name in use');
    await waitForState(rows.nth(2), 'Name in use');
    assert.match(
      await rows.nth(1).getByRole('status').innerText(),
      /A file named "same\.txt" already exists in the destination folder; replace it \(Box keeps the old one as a previous version\) or keep both\./,
    );
    assert.equal(
      await rows
        .nth(1)
        .getByRole('button', { name: /^Retry/ })
        .count(),
      0,
      'a retry would only stop again',
    );
    const bar = page.getByRole('group', { name: 'Files whose names are taken' });
    assert.match(await bar.innerText(), /2 files have names already used in the destination folder/);
    await bar.getByRole('button', { name: 'Keep both for all' }).click();
    await waitForState(rows.nth(1), 'Done');
    await waitForState(rows.nth(2), 'Done');
    await bar.waitFor({ state: 'hidden' });
    const kept = [
      await rows.nth(1).locator('.file-name').innerText(),
      await rows.nth(2).locator('.file-name').innerText(),
    ];
    assert.deepEqual(kept.sort(), ['same (1).txt', 'same (2).txt']);

    await add(files[3]!.path);
    await waitForState(rows.nth(3), 'Name in use');
    await rows
      .nth(3)
      .getByRole('group', { name: 'What to do with same.txt' })
      .getByRole('button', { name: 'Replace' })
      .click();
    await waitForState(rows.nth(3), 'Done');
    const client = clientFor(localbox);
    const listing = await client.listFolderItems('0', { limit: 100 });
    assert.deepEqual(listing.entries.map((item) => item.name).sort(), ['same (1).txt', 'same (2).txt', 'same.txt']);
    const replaced = listing.entries.find((item) => item.name === 'same.txt')!;
    assert.equal((await client.getFile(replaced.id)).sha1, files[3]!.sha1, 'a new version with the new content');

    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('When a file with the same name is already there').selectOption('keep-both');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(ui.service.getSettings().onNameConflict, 'keep-both');
    await add(files[0]!.path);
    await waitForState(rows.nth(4), 'Done');
    assert.equal(await rows.nth(4).locator('.file-name').innerText(), 'same (3).txt', 'no question asked');
  });

  it('settings: parts in parallel, and a custom server that needs a token', async (t) => {
    const localbox = await localboxFor(t);
    const ui = await openUi(t, browser);
    const { page } = ui;
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    assert.ok(await dialog.getByRole('radio', { name: /Embedded local Box/ }).isChecked());
    const parallel = dialog.getByLabel('Parts in parallel per file');
    assert.equal(await parallel.inputValue(), 'auto', 'automatic by default');
    await parallel.selectOption('6');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(ui.service.getSettings().parallel, 6);

    await page.getByRole('button', { name: /change where files go/ }).click();
    await dialog.getByRole('radio', { name: 'A Box account or compatible server' }).check();
    await dialog.getByLabel('API base URL').fill(localbox.url);
    assert.equal(await dialog.getByLabel('Upload base URL').inputValue(), `${localbox.url}/api`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    assert.equal(
      await dialog.getByRole('alert').innerText(),
      `Sign in with Box or enter an access token for ${new URL(localbox.url).host}.`,
    );
    await dialog.getByText('Advanced: use an access token').click();
    await dialog.getByLabel(/Access token/).fill(localbox.token);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('button', { name: `Uploading to ${new URL(localbox.url).host}; change where files go` })
      .waitFor();
    const settings = ui.service.getSettings();
    assert.deepEqual([settings.target.kind, settings.tokenSet], ['custom', true]);
    assert.ok(!JSON.stringify(settings).includes(localbox.token), 'the token never reaches the renderer');

    const file = await writePatternFile(await tempDir(t), 'to-custom.txt', 1000, 403);
    ui.dialogPaths.push(file.path);
    await page.getByRole('button', { name: 'Add files…' }).click();
    await waitForState(page.getByRole('listitem', { name: /^to-custom\.txt/ }), 'Done');
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0/items')).body?.['total_count'], 1);
  });

  it('settings: the folder uploads go into, chosen by browsing the server', async (t) => {
    const ui = await openUi(t, browser);
    const { page } = ui;
    const client = clientFor(ui.service.embeddedLocalbox!);
    const projects = await client.createFolder('Projects', '0');
    const year = await client.createFolder('2026', projects.id);
    await page.getByText('Files go into All Files on Embedded local Box.').waitFor();
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByRole('button', { name: 'Change the folder uploads go into' }).click();
    const picker = dialog.getByRole('group', { name: 'Choose a folder' });
    await picker.getByRole('list', { name: 'Folders in All Files' }).getByRole('button', { name: 'Projects' }).click();
    await picker.getByRole('list', { name: 'Folders in Projects' }).getByRole('button', { name: '2026' }).click();
    await picker.getByRole('button', { name: 'Upload into “2026”' }).click();
    await picker.waitFor({ state: 'detached' });
    assert.equal(await dialog.locator('.destination-path').innerText(), 'All Files / Projects / 2026');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(ui.service.getSettings().destination.folderId, year.id);
    await page.getByRole('button', { name: 'Uploading to Embedded local Box › 2026; change where files go' }).waitFor();

    const file = await writePatternFile(await tempDir(t), 'minutes.txt', 1000, 405);
    ui.dialogPaths.push(file.path);
    await page.getByRole('button', { name: 'Add files…' }).click();
    await waitForState(page.getByRole('listitem', { name: /^minutes\.txt/ }), 'Done');
    const items = await client.listFolderItems(year.id, { limit: 10 });
    assert.deepEqual(
      items.entries.map((item) => item.name),
      ['minutes.txt'],
    );
  });

  it('settings: an upload speed limit, shown over the queue, and lifted again', async (t) => {
    const ui = await openUi(t, browser);
    const { page } = ui;
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const speed = dialog.getByLabel('Upload speed limit in MB/s');
    assert.ok(await speed.isDisabled(), 'no limit by default');
    await dialog.getByLabel('Limit all uploads together to').check();
    await speed.fill('0.001');
    await dialog.getByRole('button', { name: 'Save' }).click();
    assert.equal(await dialog.getByRole('alert').innerText(), 'Enter an upload speed limit from 0.01 to 10000 MB/s.');
    await speed.fill('2.5');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(ui.service.getSettings().uploadLimitBytesPerSec, 2_500_000);

    const file = await writePatternFile(await tempDir(t), 'limited.txt', 1000, 404);
    ui.dialogPaths.push(file.path);
    await page.getByRole('button', { name: 'Add files…' }).click();
    await waitForState(page.getByRole('listitem', { name: /^limited\.txt/ }), 'Done');
    await page.getByRole('button', { name: 'Limited to 2.5 MB/s' }).click();
    assert.equal(await speed.inputValue(), '2.5', 'the dialog opens on the saved limit');
    await dialog.getByLabel('Limit all uploads together to').uncheck();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: /^Limited to/ }).waitFor({ state: 'detached' });
    assert.equal(ui.service.getSettings().uploadLimitBytesPerSec, null);
  });

  it('works from the keyboard: tab order, Enter and Space on actions, visible focus', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 3_000_000 });
    const ui = await openUi(t, browser, { localbox });
    const { page } = ui;
    const file = await writePatternFile(await tempDir(t), 'keys.bin', 30_000_000, 404);
    ui.dialogPaths.push(file.path);
    await page.getByRole('button', { name: 'Add files…' }).waitFor();
    const order: string[] = [];
    for (let stop = 0; stop < 5; stop++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(() => {
          const active = (
            globalThis as unknown as {
              document: { activeElement: { getAttribute(name: string): string | null; textContent: string | null } };
            }
          ).document.activeElement;
          return active.getAttribute('aria-label') ?? active.textContent?.trim() ?? '';
        }),
      );
    }
    assert.deepEqual(order, [
      'Uploading to 127.0.0.1:' + new URL(localbox.url).port + '; change where files go',
      'Recent uploads',
      'Settings',
      'Change…',
      'Add files…',
    ]);
    const outline = await page
      .getByRole('button', { name: 'Add files…' })
      .evaluate((element) => element.ownerDocument.defaultView!.getComputedStyle(element).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible');
    await page.keyboard.press('Enter');
    const row = page.getByRole('listitem', { name: /^keys\.bin/ });
    await waitForState(row, 'Uploading');
    const pause = row.getByRole('button', { name: 'Pause keys.bin' });
    await pause.focus();
    await page.keyboard.press('Space');
    await waitForState(row, 'Paused');
    await row.getByRole('button', { name: 'Resume keys.bin' }).focus();
    await page.keyboard.press('Enter');
    await waitForState(row, 'Uploading');
    const expand = row.getByRole('button', { name: 'Show the parts of keys.bin' });
    await expand.focus();
    await page.keyboard.press('Enter');
    assert.equal(
      await row.getByRole('button', { name: 'Hide the parts of keys.bin' }).getAttribute('aria-expanded'),
      'true',
    );
  });

  it('follows the OS: dark theme', async (t) => {
    const { page } = await openUi(t, browser, { colorScheme: 'dark' });
    await page.getByRole('heading', { name: 'Drop files here to upload them' }).waitFor();
    const background = await page
      .locator('body')
      .evaluate((body) => body.ownerDocument.defaultView!.getComputedStyle(body).backgroundColor);
    assert.equal(background, 'rgb(20, 24, 30)');
  });
});
