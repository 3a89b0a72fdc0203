/**
 * `npm run build`: the desktop app's three parts, into build/dist:
 *   main/main.js       the Electron main process (ESM, everything but electron bundled)
 *   preload/preload.cjs  the sandboxed preload (a sandboxed preload must be one CommonJS file)
 *   renderer/          the React UI (Vite)
 */
import { build as esbuild } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { build as vite } from 'vite';

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

await Promise.all([
  esbuild({
    entryPoints: [root('electron/main/main.ts')],
    outfile: root('build/dist/main/main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['electron'],
    // CommonJS dependencies inside an ESM bundle still call require() for Node's modules.
    banner: {
      js: "import { createRequire as __hoistCreateRequire } from 'node:module'; const require = __hoistCreateRequire(import.meta.url);",
    },
    sourcemap: true,
    logLevel: 'warning',
  }),
  esbuild({
    entryPoints: [root('electron/preload/preload.ts')],
    outfile: root('build/dist/preload/preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
    logLevel: 'warning',
  }),
  vite({ configFile: root('build/vite.config.ts'), logLevel: 'warn' }),
]);
console.log('built build/dist/{main,preload,renderer}');
