import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import type { InvokeChannel } from '../../shared/ipc-contract.ts';
import type { IpcHandlers } from '../service/ipc-handlers.ts';

/** The part of ipcMain this file uses; tests pass an in-memory one. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The origin the app's own renderer is served from (see app-protocol.ts). */
export const APP_ORIGIN = 'app://hoist';

/**
 * Only the app's own page, in its top frame, may talk to main: not an iframe, not a page that
 * navigated elsewhere (navigation is blocked too, this is the second lock).
 */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'top'> | null | undefined): boolean {
  if (!frame) return false;
  if (frame.top !== frame) return false;
  try {
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

export class UntrustedSenderError extends Error {
  constructor(channel: string) {
    super(`Refused ${channel}: the request did not come from Hoist's own window`);
  }
}

/**
 * The one place raw ipcMain handlers are registered (lint forbids it anywhere else): each
 * channel checks its sender frame, then runs the validating handler. One object argument each.
 */
export function registerIpc(ipcMain: IpcMainLike, handlers: IpcHandlers): () => void {
  const channels = Object.keys(handlers) as InvokeChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, ...args) => {
      if (!isTrustedSender(event.senderFrame)) throw new UntrustedSenderError(channel);
      if (args.length > 1) throw new Error(`Invalid request on ${channel}: one object argument expected`);
      return handlers[channel](args[0]);
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
