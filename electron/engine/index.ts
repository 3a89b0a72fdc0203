/**
 * The engine's surface for the Electron shell (electron/main): what main needs before the
 * service starts. Main reaches the engine only through this file (lint enforces it); everything
 * else main does goes through electron/service.
 */
export { addSha1AddonPath } from './sha1/resumable-sha1.ts';
