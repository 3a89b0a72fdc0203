/**
 * `npm run build`: the desktop app's three parts, into build/dist (or `--out DIR`):
 *   main/main.js       the Electron main process (ESM, everything but electron bundled)
 *   preload/preload.cjs  the sandboxed preload (a sandboxed preload must be one CommonJS file)
 *   renderer/          the React UI (Vite)
 * Main finds preload/ and renderer/ beside its own directory, so any output directory runs.
 * Tests build into their own directory: rebuilding build/dist would empty it under the
 * browser tests that serve it at the same time.
 *
 * A distributor builds its Box app into the app with HOIST_BOX_CLIENT_ID and
 * HOIST_BOX_CLIENT_SECRET set (see electron/main/built-in-box-app.ts); unset, sign-in needs the
 * person's own Box app. Only main gets them: never the preload or the renderer.
 *
 * HOIST_UPDATE_URL (https) is where the app looks for updates (electron/main/auto-update.ts);
 * unset, it never checks.
 */
import { build as esbuild } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build as vite } from 'vite';

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = values.out ? resolve(values.out) : root('build/dist');
const builtInBoxApp = {
  __HOIST_BOX_CLIENT_ID__: JSON.stringify(process.env['HOIST_BOX_CLIENT_ID'] ?? ''),
  __HOIST_BOX_CLIENT_SECRET__: JSON.stringify(process.env['HOIST_BOX_CLIENT_SECRET'] ?? ''),
  __HOIST_UPDATE_URL__: JSON.stringify(process.env['HOIST_UPDATE_URL'] ?? ''),
};

await Promise.all([
  esbuild({
    entryPoints: [root('electron/main/main.ts')],
    outfile: resolve(outDir, 'main', 'main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['electron'],
    define: builtInBoxApp,
    // CommonJS dependencies inside an ESM bundle still call require() for Node's modules.
    banner: {
      js: "import { createRequire as __hoistCreateRequire } from 'node:module'; const require = __hoistCreateRequire(import.meta.url);",
    },
    sourcemap: true,
    logLevel: 'warning',
  }),
  esbuild({
    entryPoints: [root('electron/preload/preload.ts')],
    outfile: resolve(outDir, 'preload', 'preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
    logLevel: 'warning',
  }),
  vite({
    configFile: root('build/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: resolve(outDir, 'renderer') },
  }),
]);
console.log(`built ${outDir}/{main,preload,renderer}`);
