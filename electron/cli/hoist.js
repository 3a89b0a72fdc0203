#!/usr/bin/env node
// The `hoist` command. It runs the bundle that `npm ci` / `npm run build` leave in build/cli/
// (one file, loaded in tens of milliseconds), or the TypeScript sources directly (Node 22 strips
// types) when the bundle is missing or older than any source file, so an edited checkout never
// runs stale code. Installed on PATH (`npm link`, a global install) it may start under an older
// system Node: then it hands itself to the checkout's own Node 22 (the `node` devDependency).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version}\n`);
  process.exit(0);
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const ownNode = `${root}node_modules/node/bin/node`;
  if (!existsSync(ownNode)) {
    console.error(
      `hoist needs Node 22 or newer; this is Node ${process.versions.node}. Run \`npm ci\` in the checkout (it brings Node 22) or install Node 22.`,
    );
    process.exit(2);
  }
  const { spawnSync } = await import('node:child_process');
  const run = spawnSync(ownNode, [fileURLToPath(import.meta.url), ...argv], { stdio: 'inherit' });
  if (run.signal) process.kill(process.pid, run.signal);
  process.exit(run.status ?? 1);
}

/** The newest modification time of the TypeScript the bundle is built from, in ms. */
function newestSourceMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'native') newest = Math.max(newest, newestSourceMs(path));
    } else if (entry.name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

function freshBundle() {
  if (process.env.HOIST_CLI_FROM_SOURCE) return undefined;
  const bundle = `${root}build/cli/hoist.mjs`;
  if (!existsSync(bundle)) return undefined;
  if (!existsSync(`${root}electron/cli/run-cli.ts`)) return bundle; // installed without sources
  const sourcesMs = Math.max(newestSourceMs(`${root}electron`), newestSourceMs(`${root}shared`));
  return statSync(bundle).mtimeMs >= sourcesMs ? bundle : undefined;
}

const bundle = freshBundle();
const { runCli } = bundle ? await import(bundle) : await import('./run-cli.ts');
process.exitCode = await runCli(argv);
