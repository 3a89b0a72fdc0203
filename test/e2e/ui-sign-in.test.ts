import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { LocalboxHandle } from '../../electron/localbox/localbox.ts';
import { localboxFor } from '../helpers/localbox-fixture.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writePatternFile } from '../helpers/test-files.ts';
import { grantInSystemBrowser } from '../helpers/system-browser.ts';
import { launchChromium, openUi, waitForState, type Ui } from '../helpers/ui-harness.ts';
import { until } from '../helpers/wait-until.ts';

let browser: Browser;
before(async () => (browser = await launchChromium()));
after(() => browser?.close());

const PERSON = { name: 'Ada Lovelace', login: 'ada@example.com' };

const focusedText = (page: Page): Promise<string> =>
  page.evaluate(
    () =>
      (globalThis as unknown as { document: { activeElement: { textContent: string | null } } }).document.activeElement
        .textContent ?? '',
  );

async function openSettingsFor(ui: Ui, localbox: LocalboxHandle) {
  await ui.page.getByRole('button', { name: 'Settings' }).click();
  const dialog = ui.page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('radio', { name: 'A Box account or compatible server' }).check();
  await dialog.getByLabel('API base URL').fill(localbox.url);
  return dialog;
}

describe('signing in to Box in a real browser', () => {
  it('Sign in with Box: the system browser grants access, the window shows the account, Sign out forgets it', async (t) => {
    const localbox = await localboxFor(t, {
      user: { ...PERSON, spaceAmountBytes: 10_000_000_000, spaceUsedBytes: 1_250_000_000 },
    });
    const ui = await openUi(t, browser, {
      boxApp: { clientId: localbox.clientId, clientSecret: localbox.clientSecret },
    });
    const dialog = await openSettingsFor(ui, localbox);
    const account = dialog.getByRole('region', { name: 'Box account' });
    await account.getByRole('button', { name: 'Sign in with Box' }).click();
    await account.getByText('Finish signing in in your browser; Hoist waits for it.').waitFor();
    assert.equal(await focusedText(ui.page), 'Cancel sign-in', 'focus moves to what can stop the wait');

    await until(() => ui.openedInBrowser.length === 1, 'main was asked to open the browser');
    const opened = new URL(ui.openedInBrowser[0]!);
    assert.equal(`${opened.origin}${opened.pathname}`, `${localbox.url}/api/oauth2/authorize`);
    assert.equal(opened.searchParams.get('client_id'), localbox.clientId);
    const systemBrowser = await grantInSystemBrowser(ui, 1);
    assert.equal(await systemBrowser.locator('script').count(), 0, 'a plain page, no script');

    await account.getByText('Signed in as Ada Lovelace (ada@example.com)').waitFor();
    assert.equal(await focusedText(ui.page), 'Sign out', 'and then stays in the section');
    assert.match(await account.getByRole('status').innerText(), /1\.3 GB used of 10\.0 GB/);
    await ui.page
      .getByRole('button', { name: `Uploading to ${new URL(localbox.url).host}; change where files go` })
      .waitFor();
    const settings = ui.service.getSettings();
    assert.deepEqual([settings.target.kind, settings.credential], ['custom', 'sign-in']);
    assert.equal(await ui.page.locator('header .account-badge').innerText(), 'Ada Lovelace', 'the account line');

    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const file = await writePatternFile(await tempDir(t), 'after-sign-in.txt', 4000, 911);
    ui.dialogPaths.push(file.path);
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    await waitForState(ui.page.getByRole('listitem', { name: /^after-sign-in\.txt/ }), 'Done');
    assert.equal(localbox.stats().tokenRequests.authorization_code, 1);

    await ui.page.getByRole('button', { name: 'Settings' }).click();
    await account.getByRole('button', { name: 'Sign out' }).click();
    await account.getByRole('button', { name: 'Sign in with Box' }).waitFor();
    assert.equal(ui.service.getSettings().credential, 'none');
    await ui.page.keyboard.press('Escape');
    await ui.page.getByRole('button', { name: 'Not signed in: sign in…' }).click();
    await account.getByRole('button', { name: 'Sign in with Box' }).waitFor();
  });

  it('without a Box app the button says what is missing; the person’s own app, for Box only, is refused to another server', async (t) => {
    const localbox = await localboxFor(t);
    const ui = await openUi(t, browser);
    const dialog = await openSettingsFor(ui, localbox);
    const account = dialog.getByRole('region', { name: 'Box account' });
    const button = account.getByRole('button', { name: 'Sign in with Box' });
    assert.ok(await button.isDisabled());
    const describedBy = (await button.getAttribute('aria-describedby')) ?? '';
    assert.match(
      await ui.page.locator(`[id="${describedBy}"]`).innerText(),
      /^Sign-in needs a Box app, and this copy of Hoist was built without one/,
    );

    await account.getByText('Use your own Box app', { exact: true }).click();
    await account.getByLabel('Client ID').fill(localbox.clientId);
    await account.getByLabel('Client secret').fill(localbox.clientSecret);
    await account.getByRole('button', { name: 'Save app' }).click();
    await account.getByText('Your Box app is saved.').waitFor();
    assert.equal(ui.service.getSettings().ownAppClientId, localbox.clientId);
    // localbox is not Box: the person's own app, and its secret, never go to it; the button says so.
    assert.ok(await button.isDisabled());
    assert.match(
      await ui.page.locator(`[id="${(await button.getAttribute('aria-describedby')) ?? ''}"]`).innerText(),
      /^Your own Box app is used only to sign in to Box \(api\.box\.com\), so its secret is never sent to another server/,
    );
    // Box itself is offered the person's own app.
    await dialog.getByLabel('API base URL').fill('https://api.box.com');
    await account.locator('button:enabled', { hasText: 'Sign in with Box' }).waitFor();
    assert.equal(ui.openedInBrowser.length, 0, 'no browser was opened');
  });

  it('a job waiting for sign-in has a Sign in action; after signing in it continues', async (t) => {
    const localbox = await localboxFor(t, { partSize: 2 * 1024 * 1024 + 1, connBandwidthBytesPerSec: 3_000_000 });
    const ui = await openUi(t, browser, {
      boxApp: { clientId: localbox.clientId, clientSecret: localbox.clientSecret },
    });
    const dialog = await openSettingsFor(ui, localbox);
    await dialog.getByRole('button', { name: 'Sign in with Box' }).click();
    await grantInSystemBrowser(ui, 1);
    await dialog.getByText(/^Signed in/).waitFor();
    await ui.page.keyboard.press('Escape');

    const file = await writePatternFile(await tempDir(t), 'long.bin', 24_000_000, 912);
    ui.dialogPaths.push(file.path);
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    const row = ui.page.getByRole('listitem', { name: /^long\.bin/ });
    await until(() => (ui.service.listJobs().jobs[0]?.totals.partsDone ?? 0) >= 1, 'a part is on the server');
    localbox.revokeAllTokens();
    await waitForState(row, 'Waiting for sign-in');
    const action = row.getByRole('button', { name: 'Sign in to continue long.bin' });
    await action.focus();
    await ui.page.keyboard.press('Enter');
    await grantInSystemBrowser(ui, 2);
    await waitForState(row, 'Done', { timeout: 60_000 });
    assert.equal(ui.service.listJobs().jobs[0]?.sha1, file.sha1);
  });
});
