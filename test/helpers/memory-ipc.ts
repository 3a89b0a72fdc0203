import type { IpcMainInvokeEvent } from 'electron';
import { registerIpc, type IpcMainLike } from '../../electron/main/ipc-registry.ts';
import type { IpcHandlers, PlatformActions } from '../../electron/service/ipc-handlers.ts';
import type { DroppedFile } from '../../shared/ipc-contract.ts';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** ipcMain in memory: what main registers, called as the renderer's invoke would, from the app's own top frame. */
export class MemoryIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) return Promise.reject(new Error(`no handler for ${channel}`));
    const frame: { url: string; top: unknown } = { url: 'app://hoist/index.html', top: undefined };
    frame.top = frame;
    return listener({ senderFrame: frame } as unknown as IpcMainInvokeEvent, ...args);
  }
}

/** The handlers registered through main's checked registry, invoked as the renderer would. */
export function memoryIpc(handlers: IpcHandlers): (channel: string, request?: unknown) => Promise<unknown> {
  const ipc = new MemoryIpcMain();
  registerIpc(ipc, handlers);
  return (channel, request = {}) => ipc.invoke(channel, request);
}

/** What the preload does for a drop: register the OS's paths, then queue them by id (paths are capabilities). */
export async function dropAndAdd(
  invoke: (channel: string, ...args: unknown[]) => Promise<unknown>,
  paths: string[],
): Promise<unknown> {
  const { files } = (await invoke('drops:register', { paths })) as { files: DroppedFile[] };
  return invoke('jobs:add', { fileIds: files.map((file) => file.fileId) });
}

/**
 * What main's platform side does, for tests: no files chosen, and the person answering every
 * question with `answer` unless a test replaces a question.
 */
export function testPlatform(answer: boolean, overrides: Partial<PlatformActions> = {}): PlatformActions {
  return {
    chooseFiles: async () => [],
    showItemInFolder: () => undefined,
    appInfo: () => ({ version: 'test', platform: 'linux' }),
    confirmServerChange: async () => answer,
    confirmCredentialChange: async () => answer,
    confirmBoxAppChange: async () => answer,
    openExternal: async () => undefined,
    writeClipboard: () => undefined,
    ...overrides,
  };
}
