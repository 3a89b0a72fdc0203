// Builds the resumable SHA-1 addon (electron/native/sha1) at install time.
// The addon is an optimisation, not a requirement: without a C compiler Hoist falls back to a
// TypeScript SHA-1 with the same state format, so a failed build warns and exits 0.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const addonDir = fileURLToPath(new URL('../../electron/native/sha1', import.meta.url));
const gypScript = process.env.npm_config_node_gyp;
const [command, args] = gypScript
  ? [process.execPath, [gypScript, 'rebuild', '-C', addonDir]]
  : ['node-gyp', ['rebuild', '-C', addonDir]];
const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (result.status === 0) {
  console.log('hoist: built the native SHA-1 addon');
} else {
  const why = result.error ? result.error.message : (result.stderr || '').trim().split('\n').slice(-3).join(' ');
  console.warn(`hoist: could not build the native SHA-1 addon, using the slower TypeScript SHA-1 (${why})`);
}
