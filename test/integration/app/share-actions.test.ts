import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { createIpcHandlers } from '../../../electron/service/ipc-handlers.ts';
import {
  MemoryKeyValueStore,
  MemorySecretStore,
  memoryStoresFor,
  SettingsStore,
} from '../../../electron/service/settings-store.ts';
import { UploadService } from '../../../electron/service/upload-service.ts';
import type { LocalboxHandle } from '../../../electron/localbox/localbox.ts';
import type { HistoryPage, SharedLink, UploadRecord } from '../../../shared/share-model.ts';
import type { Notice } from '../../../shared/job-model.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { dropAndAdd, memoryIpc, testPlatform } from '../../helpers/memory-ipc.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

interface Shell {
  service: UploadService;
  invoke: (channel: string, request?: unknown) => Promise<unknown>;
  opened: string[];
  clipboard: string[];
  notices: Notice[];
  stateDir: string;
}

/** The service behind main's IPC, with the system browser and the clipboard recorded. */
async function shell(t: TestContext, localbox?: LocalboxHandle, stateDir?: string): Promise<Shell> {
  const dir = stateDir ?? (await tempDir(t));
  const stores = localbox
    ? memoryStoresFor(localbox)
    : { settings: new SettingsStore(new MemoryKeyValueStore()), secrets: new MemorySecretStore() };
  const service = await UploadService.start({ stateDir: dir, ...stores, updateIntervalMs: 20 });
  let stopped = false;
  t.after(() => (stopped ? undefined : service.shutdown()));
  const opened: string[] = [];
  const clipboard: string[] = [];
  const notices: Notice[] = [];
  service.on('notice', (notice) => notices.push(notice));
  const handlers = createIpcHandlers(
    service,
    testPlatform(true, {
      openExternal: async (url) => void opened.push(url),
      writeClipboard: (text) => void clipboard.push(text),
    }),
  );
  const invoke = memoryIpc(handlers);
  const originalShutdown = service.shutdown.bind(service);
  service.shutdown = async () => {
    stopped = true;
    await originalShutdown();
  };
  return { service, invoke, opened, clipboard, notices, stateDir: dir };
}

/** Uploads one file through IPC as a drop would, and waits until it is in the history. */
async function uploaded(t: TestContext, app: Shell, name = 'budget.xlsx'): Promise<UploadRecord> {
  const file = await writePatternFile(await tempDir(t), name, 4000, 17);
  await dropAndAdd(app.invoke, [file.path]);
  let page: HistoryPage = { entries: [], totalCount: 0 };
  await until(() => {
    page = app.service.listHistory({ query: name });
    return page.totalCount === 1;
  }, `${name} is in the recent uploads`);
  return page.entries[0]!;
}

describe('Open on Box and Copy shared link, through main’s IPC, against localbox over HTTP', () => {
  it('copies a link made with the access in Settings, keeps it in the history, and says so', async (t) => {
    const localbox = await localboxFor(t);
    const app = await shell(t, localbox);
    const upload = await uploaded(t, app);
    assert.equal(upload.folderPath, 'All Files', 'where on Box it went');
    assert.equal(app.service.getSettings().sharedLinkAccess, 'company', 'company by default');

    const link = (await app.invoke('upload:copy-link', { id: upload.id })) as SharedLink;
    assert.deepEqual(app.clipboard, [link.url]);
    const onBox = await call(localbox, 'GET', `/2.0/files/${upload.fileId}?fields=shared_link`);
    const stored = onBox.body?.['shared_link'] as Record<string, unknown>;
    assert.equal(stored['url'], link.url);
    assert.equal(stored['access'], 'company');
    assert.equal((await fetch(link.url)).status, 200, 'the link opens');
    assert.match(app.notices.at(-1)!.message, /^Link to budget\.xlsx copied: .* \(open to people in your company\)\.$/);
    const page = (await app.invoke('history:list', {})) as HistoryPage;
    assert.deepEqual(page.entries[0]!.sharedLink, link);

    await app.invoke('settings:update', { sharedLinkAccess: 'open' });
    const opened = (await app.invoke('upload:copy-link', { id: upload.id })) as SharedLink;
    assert.equal(opened.url, link.url, 'the same link, now open to anyone');
    assert.equal(opened.access, 'open');
    await assert.rejects(app.invoke('settings:update', { sharedLinkAccess: 'everyone' }), /Invalid request/);
  });

  it('opens the file’s page on the local Box; a row cleared from the queue still opens and shares from the history', async (t) => {
    const localbox = await localboxFor(t);
    const app = await shell(t, localbox);
    const upload = await uploaded(t, app, 'plan.pdf');
    await app.invoke('upload:open-on-box', { id: upload.id });
    assert.deepEqual(app.opened, [`${localbox.url}/file/${upload.fileId}`]);
    assert.match(await (await fetch(app.opened[0]!)).text(), /plan\.pdf/);

    await app.invoke('job:remove', { jobId: upload.id });
    assert.equal(app.service.listJobs().jobs.length, 0);
    await app.invoke('upload:open-on-box', { id: upload.id });
    assert.equal(app.opened.length, 2);
    const link = (await app.invoke('upload:copy-link', { id: upload.id })) as SharedLink;
    assert.equal(app.clipboard.at(-1), link.url);

    await app.invoke('history:clear', {});
    assert.equal(((await app.invoke('history:list', {})) as HistoryPage).totalCount, 0);
    await assert.rejects(
      app.invoke('upload:copy-link', { id: upload.id }),
      /no longer in the list or the recent uploads/,
    );
    await assert.rejects(app.invoke('upload:open-on-box', { id: '12345' }), /no longer in the list/);
  });

  it('says in one sentence when Box will not make the link, and copies nothing', async (t) => {
    const localbox = await localboxFor(t);
    const app = await shell(t, localbox);
    const upload = await uploaded(t, app);
    localbox.faults.add({
      on: 'update-file',
      action: { kind: 'status', status: 403, code: 'access_denied_insufficient_permissions' },
    });
    await assert.rejects(
      app.invoke('upload:copy-link', { id: upload.id }),
      /^Error: 127\.0\.0\.1:\d+ would not make a link for people in your company to budget\.xlsx \(.*\); choose who links let in under Settings\.$/,
    );
    assert.deepEqual(app.clipboard, []);
  });

  it('on the embedded local Box, opens its page; after a restart the history is there, and a Box upload opens on app.box.com', async (t) => {
    const stateDir = await tempDir(t);
    const first = await shell(t, undefined, stateDir);
    const upload = await uploaded(t, first, 'notes.txt');
    await first.invoke('upload:open-on-box', { id: upload.id });
    assert.equal(first.opened[0], `${first.service.embeddedLocalbox!.url}/file/${upload.fileId}`);
    await first.service.shutdown();

    // An upload to Box itself, recorded by an earlier run.
    const history = JSON.parse(await readFile(join(stateDir, 'history.json'), 'utf8')) as {
      entries: UploadRecord[];
    };
    const onBox: UploadRecord = {
      ...upload,
      id: 'job-on-box',
      fileId: '98765',
      serverLabel: 'api.box.com',
      target: { kind: 'custom', apiBaseUrl: 'https://api.box.com', uploadBaseUrl: 'https://upload.box.com/api' },
    };
    await writeFile(
      join(stateDir, 'history.json'),
      JSON.stringify({ version: 1, entries: [onBox, ...history.entries] }),
    );

    const second = await shell(t, undefined, stateDir);
    const page = (await second.invoke('history:list', { query: 'notes' })) as HistoryPage;
    assert.deepEqual(
      page.entries.map((each) => each.id),
      ['job-on-box', upload.id],
    );
    await second.invoke('upload:open-on-box', { id: upload.id });
    assert.equal(second.opened[0], `${second.service.embeddedLocalbox!.url}/file/${upload.fileId}`, 'this run’s port');
    await second.invoke('upload:open-on-box', { id: 'job-on-box' });
    assert.equal(second.opened[1], 'https://app.box.com/file/98765');
    await assert.rejects(
      second.invoke('upload:copy-link', { id: 'job-on-box' }),
      /^Error: notes\.txt is on api\.box\.com, and Hoist now uploads to Embedded local Box: choose api\.box\.com in Settings to share it\.$/,
    );
  });
});
