import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { axeViolations } from '../helpers/axe-check.ts';
import { clientFor } from '../helpers/engine-fixture.ts';
import { localboxFor } from '../helpers/localbox-fixture.ts';
import { grantInSystemBrowser } from '../helpers/system-browser.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writePatternFile } from '../helpers/test-files.ts';
import { launchChromium, openUi, waitForAttribute, waitForState } from '../helpers/ui-harness.ts';

let browser: Browser;
before(async () => (browser = await launchChromium()));
after(() => browser?.close());

const PART_BYTES = 2 * 1024 * 1024 + 1;

describe('axe-core finds nothing on any main state, light or dark', () => {
  it('the queue (uploading with its part map open, paused, failed, a name in use, done), Settings and the folder picker', async (t) => {
    // Slow enough that the upload is still running through every check.
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 400_000 });
    await clientFor(localbox).createFolder('Projects', '0');
    localbox.faults.add({
      on: 'direct-upload',
      skip: 1,
      action: { kind: 'status', status: 403, code: 'access_denied_insufficient_permissions' },
    });
    const ui = await openUi(t, browser, { localbox, parallel: 2 });
    const { page } = ui;
    const violations: string[] = [];
    const dir = await tempDir(t);
    await mkdir(join(dir, 'again'));
    const same = await writePatternFile(dir, 'same.txt', 1000, 501);
    const denied = await writePatternFile(dir, 'denied.txt', 1000, 502);
    const again = await writePatternFile(join(dir, 'again'), 'same.txt', 1200, 503);
    const big = await writePatternFile(dir, 'uploading.bin', 24_000_000, 504);
    const paused = await writePatternFile(dir, 'paused.bin', 24_000_000, 505);
    const add = async (...paths: string[]) => {
      ui.dialogPaths.push(...paths);
      await page.getByRole('button', { name: 'Add files…' }).click();
    };
    await add(same.path);
    const rows = page.getByRole('listitem');
    await waitForState(rows.nth(0), 'Done');
    await add(denied.path, again.path, big.path, paused.path);
    await waitForState(rows.nth(1), 'Failed');
    await waitForState(rows.nth(2), 'Name in use');
    const pausedRow = page.getByRole('listitem', { name: /^paused\.bin/ });
    await pausedRow.getByRole('button', { name: 'Pause paused.bin' }).click();
    await waitForState(pausedRow, 'Paused');
    const row = page.getByRole('listitem', { name: /^uploading\.bin/ });
    await waitForState(row, 'Uploading');
    await row.getByRole('button', { name: 'Show the parts of uploading.bin' }).click();
    const map = row.getByRole('img', { name: /^Part map of uploading\.bin/ });
    await waitForAttribute(map, 'aria-label', /uploading/);
    await map.focus();
    await page.keyboard.press('ArrowRight');
    await row.getByRole('tooltip').waitFor();
    violations.push(...(await axeViolations(page, 'queue')));
    assert.match(await row.locator('.job-state').innerText(), /Uploading/, 'still uploading: the check saw it so');

    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByRole('button', { name: 'Save' }).waitFor();
    violations.push(...(await axeViolations(page, 'Settings')));
    await dialog.getByRole('button', { name: 'Change the folder uploads go into' }).click();
    await dialog
      .getByRole('list', { name: 'Folders in All Files' })
      .getByRole('button', { name: 'Projects' })
      .waitFor();
    violations.push(...(await axeViolations(page, 'folder picker')));
    assert.deepEqual(violations, []);
  });

  it('signed out: the first screen, then signed in: the empty queue and the account in Settings', async (t) => {
    const localbox = await localboxFor(t, { user: { name: 'Ada Lovelace', login: 'ada@example.com' } });
    const ui = await openUi(t, browser, {
      localbox,
      signedOut: true,
      boxApp: { clientId: localbox.clientId, clientSecret: localbox.clientSecret },
    });
    const { page } = ui;
    const violations: string[] = [];
    await page.getByRole('button', { name: 'Sign in with Box' }).waitFor();
    violations.push(...(await axeViolations(page, 'signed-out first screen')));
    await page.getByRole('button', { name: 'Sign in with Box' }).click();
    await grantInSystemBrowser(ui, 1);
    await page.getByRole('heading', { name: 'Drop files here to upload them' }).waitFor();
    violations.push(...(await axeViolations(page, 'empty')));
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByText('Signed in as Ada Lovelace (ada@example.com)').waitFor();
    violations.push(...(await axeViolations(page, 'signed-in Settings')));
    assert.deepEqual(violations, []);
  });
});
