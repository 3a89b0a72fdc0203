/**
 * `npm run check:package`: validates the electron-builder config where Electron cannot be
 * downloaded. Renders the icons, packages `--dir` with a placeholder Electron made here, then
 * checks that app.asar holds the main, preload and renderer entry files, that the SHA-1 addon and
 * the window icon were shipped beside it, and what the installers would declare to the OS: the
 * Linux desktop entry (written by electron-builder's own code in an afterPack hook), the macOS
 * document types, the Windows "Send to" entry, and the icons of every platform.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Where Electron's binary keeps its fuses: this marker, then the wire's version, length and states. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** '1' on, '0' off, in @electron/fuses' order: RunAsNode, cookie encryption, NODE_OPTIONS, --inspect, asar integrity, only app.asar, V8 snapshot, file:// privileges. */
const ELECTRON_DEFAULT_FUSES = '10110001';
const require = createRequire(import.meta.url);
const placeholder = mkdtempSync(join(tmpdir(), 'hoist-electron-dist-'));
const output = mkdtempSync(join(tmpdir(), 'hoist-package-'));
const declarations = mkdtempSync(join(tmpdir(), 'hoist-declarations-'));
execFileSync(process.execPath, [join(root, 'build', 'scripts', 'build-icons.ts')], { cwd: root, stdio: 'ignore' });
try {
  // What electron-builder needs of an Electron distribution: the executable and resources/.
  // ...with Electron's fuse wire as its binary carries it (version 1, 8 fuses, Electron's defaults),
  // so electron-builder's electronFuses has a wire to flip and this check can read it back.
  writeFileSync(
    join(placeholder, 'electron'),
    Buffer.concat([
      Buffer.from(`#!/bin/sh\necho "placeholder Electron"\nexit 0\n${FUSE_SENTINEL}`),
      Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]),
      Buffer.from(ELECTRON_DEFAULT_FUSES),
    ]),
  );
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
      '-c.afterPack=build/scripts/package-declarations.cjs',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', HOIST_DECLARATIONS_DIR: declarations },
    },
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
  if (!existsSync(join(resources, 'icon.png'))) throw new Error('the window icon was not shipped in resources/');
  const fuses = await checkFuses(join(output, unpacked));
  const declared = checkDeclarations(declarations);
  console.log(
    `package ok: app.asar holds ${wanted.join(', ')} (${files.size} entries); resources/native/hoist_sha1.node and resources/icon.png shipped; ${fuses}; ${declared}`,
  );
} finally {
  for (const dir of [placeholder, output, declarations]) rmSync(dir, { recursive: true, force: true });
}

/**
 * The fuses the packaged binary carries: no running as plain Node, no NODE_OPTIONS, no --inspect
 * (each would let any program of the same user run code as Hoist and read its saved sign-ins),
 * the app only from app.asar, and no extra file:// rights.
 */
async function checkFuses(appDir: string): Promise<string> {
  const fusesApi = require('@electron/fuses') as {
    getCurrentFuseWire(path: string): Promise<Record<number, number>>;
  };
  const binary = readdirSync(appDir)
    .map((name) => join(appDir, name))
    .find((path) => statSync(path).isFile() && readFileSync(path).includes(FUSE_SENTINEL));
  if (!binary) throw new Error(`no Electron binary with a fuse wire in ${appDir}`);
  const wire = await fusesApi.getCurrentFuseWire(binary);
  const want = { 0: 'off', 2: 'off', 3: 'off', 5: 'on', 7: 'off' } as const;
  const wrong = Object.entries(want).filter(([index, state]) => wire[Number(index)] !== (state === 'on' ? 49 : 48));
  if (wrong.length > 0)
    throw new Error(`fuses ${wrong.map(([index]) => index).join(', ')} are not as electronFuses says`);
  return 'fuses: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges off, app.asar only';
}

/** What the OS is told: "Open with Hoist" for any file or folder, and an icon everywhere. */
function checkDeclarations(dir: string): string {
  const fail = (what: string): never => {
    throw new Error(`the packaged app would not declare ${what}`);
  };
  const desktop = readFileSync(join(dir, 'hoist.desktop'), 'utf8');
  const entry = (key: string): string => new RegExp(`^${key}=(.*)$`, 'm').exec(desktop)?.[1] ?? '';
  if (!/ %F$/.test(entry('Exec'))) fail(`files in the desktop entry's Exec (%F): "${entry('Exec')}"`);
  const mimeTypes = entry('MimeType').split(';');
  for (const type of ['application/octet-stream', 'inode/directory'])
    if (!mimeTypes.includes(type)) fail(`${type} in the desktop entry's MimeType`);
  if (entry('Icon') === '') fail('an Icon in the desktop entry');
  const icons = JSON.parse(readFileSync(join(dir, 'icons.json'), 'utf8')) as Array<{ size: number }>;
  if (icons.length < 4 || !icons.some((icon) => icon.size >= 256)) fail('Linux icons from 16 to 256 px and up');

  const config = JSON.parse(readFileSync(join(root, 'build', 'electron-builder.json'), 'utf8')) as {
    mac: {
      extendInfo?: { CFBundleDocumentTypes?: Array<{ LSItemContentTypes?: string[]; CFBundleTypeRole?: string }> };
    };
    nsis: { include?: string };
  };
  const documentTypes = config.mac.extendInfo?.CFBundleDocumentTypes ?? [];
  if (!documentTypes.some((type) => type.LSItemContentTypes?.includes('public.item') && type.CFBundleTypeRole))
    fail('a macOS document type for any item (public.item) in Info.plist');
  const nsis = config.nsis.include ? readFileSync(join(root, config.nsis.include), 'utf8') : '';
  if (!/customInstall[\s\S]*\$SENDTO[\s\S]*customUnInstall[\s\S]*Delete "\$SENDTO/.test(nsis))
    fail('a Windows "Send to" entry added on install and removed on uninstall');
  for (const file of ['icon.icns', 'icon.ico', 'icon.png'])
    if (!existsSync(join(root, 'build', 'resources', file))) fail(`build/resources/${file}`);
  return `declares Exec ${entry('Exec').split(' ').pop()}, MimeType ${entry('MimeType')}, ${icons.length} Linux icons, macOS document types ${documentTypes.flatMap((type) => type.LSItemContentTypes ?? []).join(', ')}, Windows Send to, icon.icns and icon.ico`;
}
