/**
 * Updates as the window sees them (electron/service/update-controller.ts decides). `off`: this
 * copy of Hoist has no update feed (its distributor set none at build time).
 */
export interface UpdateView {
  state: 'off' | 'idle' | 'checking' | 'downloading' | 'ready' | 'installing';
  /** The version being downloaded or ready. */
  version?: string;
  /** "Restart to update" can be pressed: an update is ready and no upload is running. */
  canRestart: boolean;
}

export const UPDATES_OFF: UpdateView = { state: 'off', canRestart: false };
