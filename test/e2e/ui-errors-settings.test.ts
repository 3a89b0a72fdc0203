import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
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
    const tooltip = await row.getByRole('tooltip').innerText();
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

  it('settings: parts in parallel, and a custom server that needs a token', async (t) => {
    const localbox = await localboxFor(t);
    const ui = await openUi(t, browser);
    const { page } = ui;
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    assert.ok(await dialog.getByRole('radio', { name: /Embedded local Box/ }).isChecked());
    await dialog.getByLabel('Parts in parallel per file').selectOption('6');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(ui.service.getSettings().parallel, 6);

    await page.getByRole('button', { name: /change where files go/ }).click();
    await dialog.getByRole('radio', { name: 'A Box account or compatible server' }).check();
    await dialog.getByLabel('API base URL').fill(localbox.url);
    assert.equal(await dialog.getByLabel('Upload base URL').inputValue(), `${localbox.url}/api`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    assert.equal(await dialog.getByRole('alert').innerText(), 'Enter an access token for the server.');
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

  it('works from the keyboard: tab order, Enter and Space on actions, visible focus', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 3_000_000 });
    const ui = await openUi(t, browser, { localbox });
    const { page } = ui;
    const file = await writePatternFile(await tempDir(t), 'keys.bin', 30_000_000, 404);
    ui.dialogPaths.push(file.path);
    await page.getByRole('button', { name: 'Add files…' }).waitFor();
    const order: string[] = [];
    for (let stop = 0; stop < 4; stop++) {
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
