/**
 * Every icon Hoist ships, rendered from one source (build/icons/hoist.svg) into
 * build/resources/, where electron-builder looks for them (`directories.buildResources`):
 *   icon.png            1024 px: the window icon on Linux and Windows, and the master
 *   icons/NxN.png       16 to 512 px: the Linux desktop entry's hicolor icons
 *   icon.icns, icon.ico the macOS and Windows app, installer and dock/taskbar icons
 * Run by `npm run build`, `npm run dist` and `npm run check:package`.
 */
import { Resvg } from '@resvg/resvg-js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const require = createRequire(import.meta.url);
const png2icons = require('png2icons') as {
  createICNS(input: Buffer, scaling: number, colors: number): Buffer | null;
  createICO(input: Buffer, scaling: number, colors: number, usePNG: boolean, forWinExe: boolean): Buffer | null;
  BICUBIC: number;
};

export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;

const svg = await readFile(root('build/icons/hoist.svg'));
const render = (sizePx: number): Buffer => new Resvg(svg, { fitTo: { mode: 'width', value: sizePx } }).render().asPng();

const out = root('build/resources');
await mkdir(`${out}/icons`, { recursive: true });
const master = render(1024);
const icns = png2icons.createICNS(master, png2icons.BICUBIC, 0);
const ico = png2icons.createICO(render(256), png2icons.BICUBIC, 0, true, true);
if (!icns || !ico) throw new Error('png2icons could not make icon.icns and icon.ico from the rendered icon');
await Promise.all([
  writeFile(`${out}/icon.png`, master),
  writeFile(`${out}/icon.icns`, icns),
  writeFile(`${out}/icon.ico`, ico),
  ...LINUX_ICON_SIZES.map((size) => writeFile(`${out}/icons/${size}x${size}.png`, render(size))),
]);
console.log(`hoist: icons rendered into ${out} (png, icns, ico, ${LINUX_ICON_SIZES.length} Linux sizes)`);
