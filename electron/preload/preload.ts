// The sandboxed preload: exposes window.hoist and nothing else (contextIsolation keeps the
// renderer from reaching ipcRenderer itself).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createHoistApi } from './hoist-api.ts';

contextBridge.exposeInMainWorld('hoist', createHoistApi(ipcRenderer, webUtils));
