/**
 * `npm run check:package`: validates the electron-builder config where Electron cannot be
 * downloaded. Packages `--dir` with a placeholder Electron made here, then checks that app.asar
 * holds the main, preload and renderer entry files and that the SHA-1 addon was shipped beside it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const placeholder = mkdtempSync(join(tmpdir(), 'hoist-electron-dist-'));
const output = mkdtempSync(join(tmpdir(), 'hoist-package-'));
try {
  // What electron-builder needs of an Electron distribution: the executable and resources/.
  writeFileSync(join(placeholder, 'electron'), '#!/bin/sh\necho "placeholder Electron"\n');
  chmodSync(join(placeholder, 'electron'), 0o755);
  mkdirSync(join(placeholder, 'resources'));
  writeFileSync(join(placeholder, 'version'), '45.4.1');
  execFileSync(
    join(root, 'node_modules', '.bin', 'electron-builder'),
    [
      '--dir',
      '--config',
      'build/electron-builder.json',
      `-c.electronDist=${placeholder}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  const unpacked = readdirSync(output).find((name) => name.endsWith('-unpacked'));
  if (!unpacked) throw new Error(`no unpacked app in ${output}: ${readdirSync(output).join(', ')}`);
  const resources = join(output, unpacked, 'resources');
  const asar = require('@electron/asar') as { listPackage(path: string, options: object): string[] };
  const files = new Set(asar.listPackage(join(resources, 'app.asar'), {}).map((file) => file.replace(/\\/g, '/')));
  const wanted = [
    '/package.json',
    '/build/dist/main/main.js',
    '/build/dist/preload/preload.cjs',
    '/build/dist/renderer/index.html',
  ];
  const missing = wanted.filter((file) => !files.has(file));
  if (missing.length > 0) throw new Error(`app.asar lacks ${missing.join(', ')}`);
  if ([...files].some((file) => file.startsWith('/node_modules/')))
    throw new Error('app.asar carries node_modules; everything is bundled');
  if (!existsSync(join(resources, 'native', 'hoist_sha1.node')))
    throw new Error('the SHA-1 addon was not shipped in resources/native');
  console.log(
    `package ok: app.asar holds ${wanted.join(', ')} (${files.size} entries); resources/native/hoist_sha1.node shipped`,
  );
} finally {
  rmSync(placeholder, { recursive: true, force: true });
  rmSync(output, { recursive: true, force: true });
}
