/**
 * The `hoist` command as bundled JavaScript in build/cli/ (run at install time and by
 * `npm run build`). Stripping TypeScript from ~100 modules at every start cost 0.6–1.0 s of CPU;
 * one bundle loads in a few tens of milliseconds. Code splitting keeps what a command does not need
 * (localbox, the OAuth client, the browser opener) in chunks that load only when a command imports
 * them. electron/cli/hoist.js runs the bundle when it is newer than every source file and falls
 * back to the TypeScript sources otherwise, so an edited checkout never runs stale code.
 */
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const outdir = root('build/cli');

/**
 * Packages compiled into the bundle instead of loaded from node_modules: zod is ~100 modules there,
 * and the CLI uses only zod/mini, which bundled loads in ~10 ms (zod from node_modules: ~100 ms).
 */
const BUNDLED_PACKAGES = new Set(['zod']);
const manifest = JSON.parse(await readFile(root('package.json'), 'utf8')) as Record<string, Record<string, string>>;
const external = Object.keys({ ...manifest['dependencies'], ...manifest['devDependencies'] })
  .filter((name) => !BUNDLED_PACKAGES.has(name))
  .flatMap((name) => [name, `${name}/*`]);

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { hoist: root('electron/cli/run-cli.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Other dependencies stay in node_modules: they are loaded from there as they are by the sources.
  external,
  // Chunks beside the entry: modules that find files relative to import.meta.url see one depth.
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
});
console.log('hoist: built the command line into build/cli');
