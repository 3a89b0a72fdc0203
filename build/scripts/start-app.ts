/**
 * `npm start`: gets Electron's binary, builds the app and launches it. Electron's binary is downloaded on
 * first use (the npm package carries none); where that is impossible, say so in one sentence.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const electronDir = join(root, 'node_modules', 'electron');

function electronBinary(): string | undefined {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

let binary = electronBinary();
if (!binary) {
  console.log('Downloading Electron (first start only)…');
  const download = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  binary = download.status === 0 ? electronBinary() : undefined;
  if (!binary) {
    const reason =
      download.stderr.match(/(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|fetch failed|\d{3} \w+)/)?.[1] ??
      `exit code ${download.status}`;
    console.error(
      `Hoist cannot start here: Electron's binary could not be downloaded (${reason}), so the desktop app cannot run on this machine; the command line works without it (npx hoist upload <file>).`,
    );
    process.exit(1);
  }
}
// Built only once Electron is there: no one waits for a build that cannot be launched.
// The window icon is rendered from its SVG source once; a missing icon never stops the app.
if (!existsSync(join(root, 'build', 'resources', 'icon.png')))
  spawnSync(process.execPath, [join(root, 'build', 'scripts', 'build-icons.ts')], { stdio: 'inherit' });
const built = spawnSync(process.execPath, [join(root, 'build', 'scripts', 'build-app.ts')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const app = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
app.on('exit', (code) => process.exit(code ?? 0));
