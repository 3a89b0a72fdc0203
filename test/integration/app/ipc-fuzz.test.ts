import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IpcMainInvokeEvent } from 'electron';
import fc from 'fast-check';
import { registerIpc, type IpcMainLike } from '../../../electron/main/ipc-registry.ts';
import { createIpcHandlers } from '../../../electron/service/ipc-handlers.ts';
import { memoryStoresFor } from '../../../electron/service/settings-store.ts';
import { UploadService } from '../../../electron/service/upload-service.ts';
import { REQUEST_SCHEMAS, type InvokeChannel } from '../../../shared/ipc-contract.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** A payload shaped like a valid one but wrong somewhere: the values a careless or hostile page sends. */
const nearMiss = fc.oneof(
  fc.record({ paths: fc.anything() }),
  fc.record({ fileIds: fc.array(fc.string({ maxLength: 40 }), { maxLength: 4 }) }),
  fc.record({ jobId: fc.oneof(fc.integer(), fc.constant(''), fc.string({ minLength: 101, maxLength: 120 })) }),
  fc.record({ pick: fc.string() }),
  fc.record({ folderId: fc.string({ maxLength: 12 }) }),
  fc.record({ parallel: fc.oneof(fc.double(), fc.integer({ min: 9 }), fc.string()) }),
  fc.record({ uploadLimitBytesPerSec: fc.oneof(fc.double(), fc.integer({ max: 9_999 }), fc.string()) }),
  fc.record({
    target: fc.record({
      kind: fc.constantFrom('custom', 'embedded', 'remote'),
      apiBaseUrl: fc.oneof(fc.webUrl(), fc.string(), fc.constant('http://a:99999'), fc.constant('file:///etc')),
      uploadBaseUrl: fc.oneof(fc.webUrl(), fc.string()),
      token: fc.anything(),
    }),
  }),
  fc.record({ __proto__: fc.anything(), constructor: fc.anything() }),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.anything(), { maxKeys: 4 }),
);

describe('IPC fuzzing: every channel, random and malformed payloads', () => {
  it('rejects each with a validation error; creates nothing; throws nothing in main', async (t) => {
    const localbox = await localboxFor(t);
    const { settings, secrets } = memoryStoresFor(localbox);
    const service = await UploadService.start({ stateDir: await tempDir(t), settings, secrets });
    t.after(() => service.shutdown());
    const asked: string[] = [];
    const handlers = new Map<string, Listener>();
    const ipc: IpcMainLike = {
      handle: (channel, listener) => void handlers.set(channel, listener),
      removeHandler: (channel) => void handlers.delete(channel),
    };
    registerIpc(
      ipc,
      createIpcHandlers(service, {
        chooseFiles: async (pick) => (asked.push(`dialog ${pick}`), []),
        showItemInFolder: (path) => void asked.push(`reveal ${path}`),
        confirmServerChange: async (target) => (
          asked.push(`server ${target.apiBaseUrl} ${target.uploadBaseUrl}`),
          true
        ),
        confirmCredentialChange: async (host) => (asked.push(`credential ${host}`), true),
        confirmBoxAppChange: async () => (asked.push('box app'), true),
        appInfo: () => ({ version: 'fuzz', platform: 'linux' }),
        openExternal: async (url) => void asked.push(`open ${url}`),
        writeClipboard: (text) => void asked.push(`clipboard ${text}`),
      }),
    );
    const frame: { url: string; top: unknown } = { url: 'app://hoist/index.html', top: undefined };
    frame.top = frame;
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    t.after(() => {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
    });
    const settingsBefore = JSON.stringify(service.getSettings());
    const statsBefore = JSON.stringify(localbox.stats().requestsByOperation);

    for (const channel of Object.keys(REQUEST_SCHEMAS) as InvokeChannel[]) {
      const schema = REQUEST_SCHEMAS[channel];
      const invalid = fc.oneof(fc.anything(), nearMiss).filter((payload) => !schema.safeParse(payload).success);
      await fc.assert(
        fc.asyncProperty(invalid, async (payload) => {
          const outcome = await handlers.get(channel)!(
            { senderFrame: frame } as unknown as IpcMainInvokeEvent,
            payload,
          ).then(
            () => 'accepted',
            (error: Error) => error.message,
          );
          assert.match(outcome, new RegExp(`^Invalid request on ${channel}`));
        }),
        { numRuns: 60, seed: 1207 },
      );
      const wrongArity = await handlers.get(channel)!(
        { senderFrame: frame } as unknown as IpcMainInvokeEvent,
        {},
        {},
      ).then(
        () => 'accepted',
        (error: Error) => error.message,
      );
      assert.match(wrongArity, /one object argument expected/);
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(uncaught, [], 'nothing escaped in main');
    assert.deepEqual(asked, [], 'no dialog opened, nothing revealed');
    assert.equal(service.listJobs().jobs.length, 0, 'no job');
    assert.equal(JSON.stringify(service.getSettings()), settingsBefore, 'no setting changed');
    assert.equal(JSON.stringify(localbox.stats().requestsByOperation), statsBefore, 'nothing reached the server');
  });
});
