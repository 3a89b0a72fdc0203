import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IpcRendererEvent } from 'electron';
import { createHoistApi } from '../../electron/preload/hoist-api.ts';
import { API_METHODS, EVENT_CHANNELS, REQUEST_SCHEMAS } from '../../shared/ipc-contract.ts';

type Listener = (event: IpcRendererEvent, payload: unknown) => void;

function fakeIpcRenderer() {
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<Listener>>();
  return {
    invoked,
    listeners,
    invoke: async (channel: string, ...args: unknown[]) => void invoked.push({ channel, args }),
    on: (channel: string, listener: Listener) =>
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel: string, listener: Listener) => listeners.get(channel)?.delete(listener),
  };
}

describe('the preload’s window.hoist against the IPC contract', () => {
  it('has one method per channel, and every channel has its method: none missing, none extra', () => {
    const api = createHoistApi(fakeIpcRenderer(), { getPathForFile: () => '' });
    const channels = [...Object.keys(REQUEST_SCHEMAS), ...Object.keys(EVENT_CHANNELS)].sort();
    assert.deepEqual([...new Set(Object.values(API_METHODS))].sort(), channels, 'API_METHODS covers each channel once');
    assert.deepEqual(
      Object.keys(api).sort(),
      Object.keys(API_METHODS).sort(),
      'the preload implements exactly the API',
    );
    assert.ok(!('send' in api) && !('invoke' in api), 'nothing generic crosses the bridge');
  });

  it('sends each request on its channel as exactly one object', async () => {
    const ipc = fakeIpcRenderer();
    const api = createHoistApi(ipc, { getPathForFile: () => '' }) as unknown as Record<
      string,
      (request?: object) => Promise<unknown>
    >;
    for (const [method, channel] of Object.entries(API_METHODS)) {
      if (method.startsWith('on') || method === 'registerDroppedFiles') continue;
      await api[method]!({ jobId: 'j', fileIds: ['f-x'] });
      const call = ipc.invoked.at(-1)!;
      assert.equal(call.channel, channel, method);
      assert.equal(call.args.length, 1, `${method} sends one argument`);
      assert.equal(typeof call.args[0], 'object');
    }
  });

  it('subscribes to events and returns an unsubscribe that works', () => {
    const ipc = fakeIpcRenderer();
    const api = createHoistApi(ipc, { getPathForFile: () => '' });
    const seen: unknown[] = [];
    const unsubscribe = api.onJobsUpdated((update) => seen.push(update));
    const update = { changed: [], removed: ['x'], progress: [] };
    for (const listener of ipc.listeners.get('jobs:updated') ?? []) listener({} as IpcRendererEvent, update);
    assert.deepEqual(seen, [update]);
    unsubscribe();
    assert.equal(ipc.listeners.get('jobs:updated')?.size, 0);
  });

  it('registers only files webUtils gives a path for (the OS dropped them), and never names a path itself', async () => {
    const ipc = fakeIpcRenderer();
    const dropped = new File(['x'], 'photo.jpg');
    const api = createHoistApi(ipc, {
      getPathForFile: (file) => {
        if (!(file instanceof File)) throw new TypeError('not a File');
        return file === dropped ? '/home/me/photo.jpg' : '';
      },
    });
    await api.registerDroppedFiles([dropped, new File(['x'], 'passwd')]);
    assert.deepEqual(ipc.invoked, [{ channel: 'drops:register', args: [{ paths: ['/home/me/photo.jpg'] }] }]);
    const forged = [new File(['x'], 'id_rsa'), '/etc/passwd' as unknown as File];
    assert.deepEqual(await api.registerDroppedFiles(forged), { files: [] });
    assert.deepEqual(await api.registerDroppedFiles('/etc/passwd' as unknown as File[]), { files: [] });
    assert.equal(ipc.invoked.length, 1, 'files page script built (or strings) never reach main');
  });
});
