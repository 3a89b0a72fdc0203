// The only file that touches Electron's ipcMain: it hands it to the checked registry.
import { ipcMain } from 'electron';
import type { IpcHandlers } from '../service/ipc-handlers.ts';
import { registerIpc } from './ipc-registry.ts';

export const registerIpcHandlers = (handlers: IpcHandlers): (() => void) => registerIpc(ipcMain, handlers);

/**
 * electron-store answers its renderer mode over a raw channel of its own; Hoist reads settings
 * only in main, so that channel is closed and the contract's channels are the only ones.
 */
export function closeElectronStoreChannel(): void {
  ipcMain.removeAllListeners('electron-store-get-data');
}
