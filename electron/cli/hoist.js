#!/usr/bin/env node
// The `hoist` command. Its code is TypeScript that Node 22 runs directly (type stripping);
// `npx hoist` finds Node 22 in node_modules/.bin because `node` is a devDependency.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `hoist needs Node 22 or newer; this is Node ${process.versions.node}. Run it as \`npx hoist\` in the checkout.`,
  );
  process.exit(2);
}
const { runCli } = await import('./run-cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
