import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The platform's config directory for "hoist" (what env-paths, and so conf, use for config):
 * ~/.config/hoist (or $XDG_CONFIG_HOME), ~/Library/Preferences/hoist, %APPDATA%\hoist\Config.
 */
export function defaultStateDir(platform = process.platform, env = process.env): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'hoist');
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'hoist', 'Config');
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'hoist');
}
