import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { IpcMainInvokeEvent } from 'electron';
import { registerIpc, type IpcMainLike } from '../../../electron/main/ipc-registry.ts';
import { createIpcHandlers } from '../../../electron/service/ipc-handlers.ts';
import { memoryStoresFor } from '../../../electron/service/settings-store.ts';
import { UploadService } from '../../../electron/service/upload-service.ts';
import {
  MAX_PATHS_PER_REQUEST,
  REQUEST_SCHEMAS,
  type DroppedFile,
  type InvokeChannel,
} from '../../../shared/ipc-contract.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { dropAndAdd } from '../../helpers/memory-ipc.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** ipcMain in memory: what main registers, called as the renderer's invoke would. */
class MemoryIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, frame: { url: string; top: unknown } | null, ...args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) return Promise.reject(new Error(`no handler for ${channel}`));
    return listener({ senderFrame: frame } as unknown as IpcMainInvokeEvent, ...args);
  }
}

function trustedFrame(): { url: string; top: unknown } {
  const frame: { url: string; top: unknown } = { url: 'app://hoist/index.html', top: undefined };
  frame.top = frame;
  return frame;
}

async function bridge(t: TestContext) {
  const localbox = await localboxFor(t);
  const { settings, secrets } = memoryStoresFor(localbox);
  const service = await UploadService.start({ stateDir: await tempDir(t), settings, secrets });
  t.after(() => service.shutdown());
  const revealed: string[] = [];
  const chosen: string[] = [];
  const picks: string[] = [];
  const serverQuestions: Array<{ apiBaseUrl: string; uploadBaseUrl: string }> = [];
  /** The person's next answers; a function answers once it has done what the person did meanwhile. */
  const serverAnswers: Array<boolean | (() => Promise<boolean>)> = [];
  const credentialQuestions: string[] = [];
  const credentialAnswers: boolean[] = [];
  const ipc = new MemoryIpcMain();
  registerIpc(
    ipc,
    createIpcHandlers(service, {
      chooseFiles: async (pick) => {
        picks.push(pick);
        return chosen.splice(0);
      },
      openExternal: async () => undefined,
      writeClipboard: () => undefined,
      showItemInFolder: (path) => void revealed.push(path),
      confirmServerChange: async (target) => {
        serverQuestions.push(target);
        const answer = serverAnswers.shift() ?? false;
        return typeof answer === 'function' ? answer() : answer;
      },
      confirmCredentialChange: async (serverHost) => {
        credentialQuestions.push(serverHost);
        return credentialAnswers.shift() ?? false;
      },
      confirmBoxAppChange: async () => {
        credentialQuestions.push('box app');
        return credentialAnswers.shift() ?? false;
      },
      appInfo: () => ({ version: '1.2.3', platform: 'linux' }),
    }),
  );
  const frame = trustedFrame();
  return {
    ipc,
    service,
    localbox,
    revealed,
    chosen,
    picks,
    serverQuestions,
    serverAnswers,
    credentialQuestions,
    credentialAnswers,
    invoke: (channel: string, ...args: unknown[]) => ipc.invoke(channel, frame, ...args),
  };
}

/** A well-formed id main never issued. */
const FORGED_ID = `f-${'0'.repeat(32)}`;

describe('IPC through the in-memory bridge', () => {
  it('registers exactly the contract’s channels', async (t) => {
    const { ipc } = await bridge(t);
    assert.deepEqual([...ipc.handlers.keys()].sort(), Object.keys(REQUEST_SCHEMAS).sort());
  });

  it('serves every channel with a valid payload', async (t) => {
    const { invoke, service, revealed, chosen, picks } = await bridge(t);
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'valid.txt', 100, 601);
    const dropped = (await invoke('drops:register', { paths: [file.path] })) as { files: DroppedFile[] };
    assert.deepEqual(
      dropped.files.map((entry) => entry.name),
      ['valid.txt'],
    );
    const added = (await invoke('jobs:add', { fileIds: dropped.files.map((entry) => entry.fileId) })) as {
      added: Array<{ id: string }>;
    };
    const jobId = added.added[0]!.id;
    chosen.push((await writePatternFile(dir, 'chosen.txt', 50, 602)).path);
    assert.equal(((await invoke('jobs:add-from-dialog', {})) as { added: unknown[] }).added.length, 1);
    assert.equal(
      ((await invoke('jobs:add-from-dialog', { pick: 'folders' })) as { added: unknown[] }).added.length,
      0,
      'the folder dialog was canceled',
    );
    assert.deepEqual(picks, ['files', 'folders']);
    const calls: Array<[InvokeChannel, object]> = [
      ['jobs:list', {}],
      ['jobs:parts', { jobId }],
      ['job:pause', { jobId }],
      ['job:resume', { jobId }],
      ['jobs:pause-all', {}],
      ['jobs:resume-all', {}],
      ['job:retry', { jobId }],
      ['jobs:retry-failed', {}],
      ['job:reveal', { jobId }],
      ['folders:list', { folderId: '0' }],
      ['settings:get', {}],
      [
        'settings:update',
        { parallel: 5, resumeAutomatically: false, onNameConflict: 'keep-both', uploadLimitBytesPerSec: 2_500_000 },
      ],
      ['app:info', {}],
      ['account:set-app', { app: { clientId: 'client', clientSecret: 'secret' } }],
      ['account:cancel-sign-in', {}],
      ['job:cancel', { jobId }],
      ['job:remove', { jobId }],
      ['account:sign-out', {}],
    ];
    for (const [channel, request] of calls) await invoke(channel, request);
    assert.deepEqual(revealed, [file.path]);
    assert.equal(service.getSettings().parallel, 5);
    assert.equal(service.getSettings().onNameConflict, 'keep-both');
    assert.equal(service.getSettings().uploadLimitBytesPerSec, 2_500_000);
    assert.equal(service.listJobs().jobs.length, 1, 'the removed job is gone, the chosen one stays');
    await invoke('jobs:clear-finished', {});
    assert.ok(
      service.listJobs().jobs.every((job) => job.state !== 'done'),
      'clearing took the chosen one if it was done',
    );
    assert.deepEqual([service.getSettings().ownAppClientId, service.getSettings().credential], ['client', 'none']);
  });

  it('rejects malformed payloads with a clear error, crashes nothing and creates no job', async (t) => {
    const { invoke, service } = await bridge(t);
    const bad: Array<[string, unknown[], RegExp]> = [
      ['jobs:add', [{ paths: ['/etc/hostname'] }], /Invalid request on jobs:add/],
      ['jobs:add', [{ fileIds: '/etc/hostname' }], /Invalid request on jobs:add at "fileIds"/],
      ['jobs:add', [{ fileIds: ['/etc/hostname'] }], /at "fileIds\.0": must be a file id main issued/],
      ['jobs:add', [{ fileIds: [42] }], /at "fileIds\.0"/],
      ['jobs:add', [{ fileIds: [] }], /at "fileIds"/],
      ['jobs:add', [{}], /at "fileIds"/],
      ['jobs:add', [null], /Invalid request on jobs:add/],
      ['jobs:add', ['/etc/hostname'], /Invalid request on jobs:add/],
      ['jobs:add', [{ fileIds: [FORGED_ID] }, 'second argument'], /one object argument/],
      ['drops:register', [{ paths: '/etc/hostname' }], /Invalid request on drops:register at "paths"/],
      ['drops:register', [{ paths: [42] }], /at "paths\.0"/],
      ['drops:register', [{ paths: [] }], /at "paths"/],
      ['drops:register', [{ paths: ['/etc/hostname'], extra: true }], /Invalid request on drops:register/],
      ['drops:register', [{ paths: Array.from({ length: MAX_PATHS_PER_REQUEST + 1 }, () => '/x') }], /at "paths"/],
      ['drops:register', [{ paths: ['x'.repeat(5000)] }], /at "paths\.0"/],
      ['job:pause', [{ jobId: 7 }], /at "jobId"/],
      ['job:pause', [{}], /at "jobId"/],
      ['jobs:list', [{ unexpected: 1 }], /Invalid request on jobs:list/],
      ['settings:update', [{ parallel: 9 }], /at "parallel"/],
      ['settings:update', [{ parallel: '4' }], /at "parallel"/],
      ['settings:update', [{ parallel: 'fast' }], /at "parallel"/],
      [
        'settings:update',
        [{ target: { kind: 'custom', apiBaseUrl: 'file:///etc', uploadBaseUrl: 'x' } }],
        /at "target\.apiBaseUrl"/,
      ],
      [
        'settings:update',
        [{ target: { kind: 'custom', apiBaseUrl: 'http://a:99999', uploadBaseUrl: 'http://a/api' } }],
        /at "target\.apiBaseUrl": must be a full URL/,
      ],
      [
        'settings:update',
        [{ target: { kind: 'custom', apiBaseUrl: 'http://box.example', uploadBaseUrl: 'https://box.example/api' } }],
        /at "target\.apiBaseUrl": must use https \(plain http is allowed only for 127\.0\.0\.1, ::1 or localhost\)/,
      ],
      ['settings:update', [{ target: { kind: 'remote' } }], /at "target\.kind"/],
      ['settings:update', [{ token: 'sneaky' }], /Invalid request on settings:update/],
      ['settings:update', [{ onNameConflict: 'overwrite' }], /at "onNameConflict"/],
      ['settings:update', [{ uploadLimitBytesPerSec: 0 }], /at "uploadLimitBytesPerSec"/],
      ['settings:update', [{ destinationFolderId: '../12' }], /at "destinationFolderId"/],
      ['folders:list', [{ folderId: 'root' }], /at "folderId": must be a folder id/],
      ['folders:list', [{}], /at "folderId"/],
      ['folders:list', [{ folderId: '0', deep: true }], /Invalid request on folders:list/],
      ['settings:update', [{ uploadLimitBytesPerSec: 1e6 + 0.5 }], /at "uploadLimitBytesPerSec"/],
      ['settings:update', [{ uploadLimitBytesPerSec: '5M' }], /at "uploadLimitBytesPerSec"/],
      ['job:resolve-name-conflict', [{ jobId: 'x', choice: 'skip' }], /at "choice"/],
      ['jobs:add-from-dialog', [{ pick: 'everything' }], /at "pick"/],
      ['job:resolve-name-conflict', [{ jobId: 'x' }], /at "choice"/],
      ['job:resolve-name-conflict', [{ choice: 'replace' }], /at "jobId"/],
      ['account:sign-in', [{ apiBaseUrl: 'file:///etc', uploadBaseUrl: 'x' }], /at "apiBaseUrl"/],
      ['account:sign-in', [{}], /at "apiBaseUrl"/],
      ['account:set-app', [{ app: { clientId: 'id' } }], /at "app\.clientSecret"/],
      ['account:set-app', [{}], /at "app"/],
      ['account:sign-out', [{ token: 'x' }], /Invalid request on account:sign-out/],
    ];
    for (const [channel, args, message] of bad) {
      await assert.rejects(invoke(channel, ...args), message, `${channel} ${JSON.stringify(args).slice(0, 80)}`);
    }
    assert.equal(service.listJobs().jobs.length, 0);
    assert.equal(service.getSettings().parallel, 'auto', 'the default is unchanged');
  });

  it('answers requests about unknown jobs and files it cannot upload in words', async (t) => {
    const { invoke } = await bridge(t);
    await assert.rejects(invoke('job:pause', { jobId: 'nope' }), /That upload is no longer in the list/);
    const queued = (await dropAndAdd(invoke, ['/etc/hostname'])) as { added: Array<{ id: string }> };
    await assert.rejects(
      invoke('job:resolve-name-conflict', { jobId: queued.added[0]!.id, choice: 'keep-both' }),
      /That upload is not waiting for a choice about its name/,
    );
    const registered = (await invoke('drops:register', { paths: ['relative.txt', '/no/such/file', '/dev/null'] })) as {
      files: DroppedFile[];
    };
    assert.equal(registered.files.length, 2, 'a relative path is no drop the OS made, and gets no id');
    const result = (await invoke('jobs:add', { fileIds: registered.files.map((file) => file.fileId) })) as {
      rejected: Array<{ message: string }>;
    };
    assert.deepEqual(
      result.rejected.map((entry) => entry.message),
      [
        'Hoist cannot upload this file: the file does not exist.',
        'This is not a regular file (a pipe, device or socket).',
      ],
    );
  });

  it('refuses requests that do not come from Hoist’s own top frame', async (t) => {
    const { ipc, service } = await bridge(t);
    const iframe = { url: 'app://hoist/index.html', top: trustedFrame() };
    const senders = [
      null,
      { url: 'https://evil.example/', top: undefined as unknown },
      iframe,
      { url: 'file:///tmp/x.html', top: undefined as unknown },
    ];
    for (const frame of senders) {
      if (frame && frame.top === undefined) frame.top = frame;
      for (const [channel, request] of [
        ['drops:register', { paths: ['/etc/hostname'] }],
        ['jobs:add', { fileIds: [FORGED_ID] }],
      ] as const) {
        await assert.rejects(ipc.invoke(channel, frame, request), /did not come from Hoist's own window/);
      }
    }
    assert.equal(service.listJobs().jobs.length, 0);
  });

  it('refuses a forged request naming a path, or an id main never issued, and reads nothing', async (t) => {
    const { invoke, service } = await bridge(t);
    const secret = await writePatternFile(await tempDir(t), 'secret.txt', 100, 605);
    await assert.rejects(invoke('jobs:add', { paths: [secret.path] }), /Invalid request on jobs:add/);
    await assert.rejects(invoke('jobs:add', { fileIds: [FORGED_ID] }), /Hoist does not know that file/);
    const { files } = (await invoke('drops:register', { paths: [secret.path] })) as { files: DroppedFile[] };
    await assert.rejects(
      invoke('jobs:add', { fileIds: [files[0]!.fileId, FORGED_ID] }),
      /Hoist does not know that file/,
      'one unknown id refuses the whole request',
    );
    assert.equal(service.listJobs().jobs.length, 0, 'nothing was queued, so nothing was read');
    await invoke('jobs:add', { fileIds: [files[0]!.fileId] });
    await assert.rejects(
      invoke('jobs:add', { fileIds: [files[0]!.fileId] }),
      /Hoist does not know that file/,
      'an id works once',
    );
    assert.equal(service.listJobs().jobs.length, 1);
  });

  it('asks the person before uploads go to another server; the embedded one and folders need no question', async (t) => {
    const {
      invoke,
      service,
      localbox,
      serverQuestions,
      serverAnswers,
      credentialQuestions,
      credentialAnswers,
      chosen,
    } = await bridge(t);
    const custom = { kind: 'custom', apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` };
    await invoke('settings:update', { target: { kind: 'embedded' } });
    await invoke('settings:update', { destinationFolderId: '0' });
    assert.deepEqual(serverQuestions, [], 'to the embedded localbox, or to a folder: no question');
    serverAnswers.push(false);
    await assert.rejects(
      invoke('settings:update', { target: { ...custom, token: localbox.token } }),
      /^Error: Hoist still uploads to Embedded local Box: the change of server was not confirmed\.$/,
    );
    assert.deepEqual(serverQuestions, [{ apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` }]);
    assert.equal(service.getSettings().target.kind, 'embedded', 'a refused change changes nothing');
    assert.equal(service.getSettings().tokenSet, false, 'not even the token');
    serverAnswers.push(true);
    credentialAnswers.push(true); // that server has a token of its own already, which the new one replaces
    await invoke('settings:update', { target: { ...custom, token: localbox.token } });
    assert.deepEqual(service.getSettings().target, custom);
    assert.deepEqual(credentialQuestions, [new URL(localbox.url).host]);
    chosen.push((await writePatternFile(await tempDir(t), 'after-yes.txt', 10, 606)).path);
    await invoke('jobs:add-from-dialog', {});
    await until(() => service.listJobs().jobs[0]?.state === 'done', 'uploads go to the new server, with its token');
    assert.equal(serverQuestions.length, 2);
  });

  it('asks before a new token replaces the sign-in of the current server; declined, uploads keep the person’s account', async (t) => {
    const { invoke, service, localbox, serverQuestions, credentialQuestions, credentialAnswers, chosen } =
      await bridge(t);
    const current = { kind: 'custom', apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` };
    const host = new URL(localbox.url).host;
    await assert.rejects(
      invoke('settings:update', { target: { ...current, token: 'attacker-token' } }),
      new RegExp(`^Error: Hoist keeps its sign-in for ${host}: the new token was not confirmed\\.$`),
    );
    assert.deepEqual(credentialQuestions, [host]);
    assert.deepEqual(serverQuestions, [], 'the same server: no server question');
    chosen.push((await writePatternFile(await tempDir(t), 'still-mine.txt', 10, 607)).path);
    await invoke('jobs:add-from-dialog', {});
    await until(() => service.listJobs().jobs[0]?.state === 'done', 'uploads still go with the person’s token');

    credentialAnswers.push(true);
    await invoke('settings:update', { target: { ...current, token: localbox.token } });
    assert.deepEqual(credentialQuestions, [host, host], 'replaced only once the person said yes');
  });

  it('names the upload host in the question when uploads go to another origin; Box’s API uploads only to Box', async (t) => {
    const { invoke, service, localbox, serverQuestions } = await bridge(t);
    const elsewhere = { kind: 'custom', apiBaseUrl: localbox.url, uploadBaseUrl: 'https://uploads.example/api' };
    await assert.rejects(invoke('settings:update', { target: { ...elsewhere, token: 'token' } }), /not confirmed/);
    assert.deepEqual(serverQuestions, [{ apiBaseUrl: localbox.url, uploadBaseUrl: 'https://uploads.example/api' }]);

    const toBox = { apiBaseUrl: 'https://api.box.com', uploadBaseUrl: 'https://evil.example/api' };
    const refusal =
      /at "(target\.)?uploadBaseUrl": uploads for https:\/\/api\.box\.com go only to https:\/\/upload\.box\.com, not https:\/\/evil\.example$/;
    await assert.rejects(invoke('account:sign-in', toBox), refusal);
    await assert.rejects(invoke('settings:update', { target: { kind: 'custom', ...toBox, token: 'token' } }), refusal);
    assert.equal(serverQuestions.length, 1, 'refused before anyone is asked');
    assert.equal(service.getSettings().target.kind, 'custom');
    assert.equal((service.getSettings().target as { apiBaseUrl: string }).apiBaseUrl, localbox.url);
  });

  it('refuses a change of server when files were added while the person was asked', async (t) => {
    const { invoke, service, localbox, serverAnswers, chosen } = await bridge(t);
    const file = await writePatternFile(await tempDir(t), 'added-meanwhile.txt', 10, 608);
    await invoke('account:sign-out', {}); // so the file added below waits (for a sign-in), unfinished
    serverAnswers.push(async () => {
      chosen.push(file.path);
      await invoke('jobs:add-from-dialog', {});
      return true;
    });
    const other = { kind: 'custom', apiBaseUrl: localbox.url.replace('127.0.0.1', 'localhost'), token: 'token' };
    await assert.rejects(
      invoke('settings:update', { target: { ...other, uploadBaseUrl: `${other.apiBaseUrl}/api` } }),
      /^Error: Finish, cancel or remove the 1 upload\(s\) in the list before changing where Hoist uploads\.$/,
    );
    assert.equal((service.getSettings().target as { apiBaseUrl: string }).apiBaseUrl, localbox.url);
    assert.equal(service.listJobs().jobs.length, 1, 'the file added meanwhile stays in the list');
  });
});
