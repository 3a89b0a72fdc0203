import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { clientFor } from '../helpers/engine-fixture.ts';
import { call, localboxFor } from '../helpers/localbox-fixture.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writePatternFile } from '../helpers/test-files.ts';
import { dropFiles, launchChromium, openUi, waitForAttribute, waitForState } from '../helpers/ui-harness.ts';

const PART_BYTES = 2 * 1024 * 1024 + 1;
let browser: Browser;
before(async () => (browser = await launchChromium()));
after(() => browser?.close());

describe('the queue in a real browser, uploading for real', () => {
  it('starts empty, with a drop zone, an Add files button and the current target', async (t) => {
    const { page } = await openUi(t, browser);
    await page.getByRole('heading', { name: 'Drop files here to upload them' }).waitFor();
    assert.ok(await page.getByRole('button', { name: 'Add files…' }).isVisible());
    assert.match(await page.locator('.drop-target').innerText(), /Embedded local Box/);
  });

  it('adds files from the dialog and shows every part completing, then the file stored with the same SHA-1', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 15_000_000 });
    const ui = await openUi(t, browser, { localbox });
    const file = await writePatternFile(await tempDir(t), 'watched.bin', 30_000_000, 301);
    ui.dialogPaths.push(file.path);
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    const row = ui.page.getByRole('listitem', { name: /^watched\.bin/ });
    await row.waitFor();
    await row.getByRole('button', { name: 'Show the parts of watched.bin' }).click();
    const map = row.getByRole('img', { name: /^Part map of watched\.bin/ });
    await map.waitFor();
    await waitForAttribute(map, 'aria-label', /uploading|done/);
    await waitForState(row, 'Done', { timeout: 30_000 });
    const parts = Math.ceil(30_000_000 / PART_BYTES);
    assert.match((await map.getAttribute('aria-label')) ?? '', new RegExp(`: ${parts} done\\.`));
    assert.match(await row.innerText(), /100%/);
    const view = ui.service.listJobs().jobs[0]!;
    assert.equal((await clientFor(localbox).getFile(view.fileId!)).sha1, file.sha1);
  });

  it('adds files and folders dropped on the window; a folder keeps its structure on Box', async (t) => {
    const localbox = await localboxFor(t);
    const ui = await openUi(t, browser, { localbox });
    const dir = await tempDir(t);
    const files = await Promise.all([1, 2].map((seed) => writePatternFile(dir, `dropped-${seed}.txt`, 5000, seed)));
    const folder = join(await tempDir(t), 'Invoices');
    await mkdir(join(folder, '2026'), { recursive: true });
    const inside = await writePatternFile(join(folder, '2026'), 'march.pdf', 9000, 3);
    await dropFiles(ui.page, [...files.map((file) => file.path), folder]);
    for (const name of ['dropped-1.txt', 'dropped-2.txt', 'march.pdf'])
      await ui.page.getByRole('listitem', { name: new RegExp(`^${name.replace('.', '\\.')}, Done`) }).waitFor();
    assert.match(
      await ui.page.getByRole('listitem', { name: /^march\.pdf/ }).innerText(),
      /→ All Files › Invoices › 2026/,
      'the row says where on Box the file goes',
    );
    const client = clientFor(localbox);
    const root = await client.listFolderItems('0', { limit: 10 });
    const invoices = root.entries.find((item) => item.name === 'Invoices' && item.type === 'folder')!;
    const year = (await client.listFolderItems(invoices.id, { limit: 10 })).entries[0]!;
    assert.equal(year.name, '2026');
    const stored = (await client.listFolderItems(year.id, { limit: 10 })).entries[0]!;
    assert.equal((await client.getFile(stored.id)).sha1, inside.sha1);
  });

  it('page script cannot upload a file by naming it: a forged path, a forged id or a File it made are refused', async (t) => {
    const ui = await openUi(t, browser);
    const secret = await writePatternFile(await tempDir(t), 'secret.txt', 100, 4);
    const outcomes = await ui.page.evaluate(async (path) => {
      const api = (globalThis as unknown as { hoist: Record<string, (request: unknown) => Promise<unknown>> }).hoist;
      const attempt = (call: () => Promise<unknown>) =>
        call().then(
          (value) => JSON.stringify(value),
          (error: Error) => error.message,
        );
      return [
        await attempt(() => api['addFiles']!({ paths: [path] })),
        await attempt(() => api['addFiles']!({ fileIds: [`f-${'a'.repeat(32)}`] })),
        await attempt(() => api['registerDroppedFiles']!([new File(['x'], 'secret.txt')])),
      ];
    }, secret.path);
    assert.match(outcomes[0]!, /Invalid request on jobs:add/);
    assert.match(outcomes[1]!, /Hoist does not know that file/);
    assert.equal(outcomes[2], JSON.stringify({ files: [] }));
    assert.equal(ui.service.listJobs().jobs.length, 0, 'nothing queued, nothing read');
  });

  it('adds a folder from the dialog', async (t) => {
    const localbox = await localboxFor(t);
    const ui = await openUi(t, browser, { localbox });
    const folder = join(await tempDir(t), 'Receipts');
    await mkdir(folder);
    await writePatternFile(folder, 'taxi.pdf', 3000, 4);
    ui.dialogPaths.push(folder);
    await ui.page.getByRole('button', { name: 'Add a folder…' }).click();
    await waitForState(ui.page.getByRole('listitem', { name: /^taxi\.pdf/ }), 'Done');
    assert.deepEqual(ui.dialogPicks, ['folders']);
    assert.match(await ui.page.getByRole('listitem', { name: /^taxi\.pdf/ }).innerText(), /→ All Files › Receipts/);
  });

  it('pauses and resumes a file, and pause all / resume all', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 6_000_000 });
    const ui = await openUi(t, browser, { localbox, parallel: 2 });
    const file = await writePatternFile(await tempDir(t), 'pausable.bin', 30_000_000, 302);
    ui.dialogPaths.push(file.path);
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    const row = ui.page.getByRole('listitem', { name: /^pausable\.bin/ });
    await waitForState(row, 'Uploading');
    await row.getByRole('button', { name: 'Pause pausable.bin' }).click();
    await waitForState(row, 'Paused');
    assert.equal(ui.service.listJobs().jobs[0]!.state, 'paused');
    await row.getByRole('button', { name: 'Resume pausable.bin' }).click();
    await waitForState(row, 'Uploading');
    await ui.page.getByRole('button', { name: 'Pause all' }).click();
    await waitForState(row, 'Paused');
    await ui.page.getByRole('button', { name: 'Resume all' }).click();
    await waitForState(row, 'Done', { timeout: 30_000 });
    assert.equal((await clientFor(localbox).getFile(ui.service.listJobs().jobs[0]!.fileId!)).sha1, file.sha1);
  });

  it('cancels a file: the session is aborted and nothing is committed', async (t) => {
    const localbox = await localboxFor(t, { partSize: PART_BYTES, connBandwidthBytesPerSec: 5_000_000 });
    const ui = await openUi(t, browser, { localbox });
    const file = await writePatternFile(await tempDir(t), 'unwanted.bin', 30_000_000, 303);
    ui.dialogPaths.push(file.path);
    await ui.page.getByRole('button', { name: 'Add files…' }).click();
    const row = ui.page.getByRole('listitem', { name: /^unwanted\.bin/ });
    await waitForState(row, 'Uploading');
    while (!/[1-9]\d*\/\d+ parts/.test(await row.locator('.job-parts').innerText()))
      await new Promise((resolve) => setTimeout(resolve, 50));
    await row.getByRole('button', { name: 'Cancel unwanted.bin' }).click();
    await waitForState(row, 'Canceled');
    const sessionId = localbox.stats().partAttempts[0]!.sessionId;
    assert.equal((await call(localbox, 'GET', `/api/2.0/files/upload_sessions/${sessionId}`)).status, 404);
    assert.equal((await call(localbox, 'GET', '/2.0/folders/0/items')).body?.['total_count'], 0);
    await row.getByRole('button', { name: 'Remove unwanted.bin from the list' }).click();
    await row.waitFor({ state: 'detached' });
  });
});
