import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root, overrideConfigFile: 'build/eslint.config.js' });

/** Lints one small fixture as if it lived at `filePath`; returns the no-restricted-imports messages. */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, `eslint returned no result for ${filePath}`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// Each fixture imports one layer the wrong way (DESIGN.md section 1): box <- engine <- host <- service <- main, host <- cli.
const wrongWay: Array<[file: string, importPath: string, layer: string]> = [
  ['electron/box/fixture.ts', '../engine/upload-job.ts', 'engine'],
  ['electron/engine/fixture.ts', '../service/upload-service.ts', 'service'],
  ['electron/engine/journal/fixture.ts', '../../host/embedded-target.ts', 'host'],
  ['electron/engine/fixture.ts', '../localbox/localbox.ts', 'localbox'],
  ['electron/host/fixture.ts', '../service/upload-service.ts', 'service'],
  ['electron/cli/fixture.ts', '../service/embedded-target.ts', 'service'],
  ['electron/service/fixture.ts', '../cli/cli-target.ts', 'cli'],
  ['electron/service/fixture.ts', '../main/main.ts', 'main'],
  ['electron/main/fixture.ts', '../engine/sha1/resumable-sha1.ts', 'engine'],
  ['electron/main/fixture.ts', '../box/box-client.ts', 'box'],
  ['electron/main/ipc-main.ts', '../cli/run-cli.ts', 'cli'],
  ['electron/localbox/fixture.ts', '../box/box-error.ts', 'box'],
  ['electron/preload/fixture.ts', '../service/upload-service.ts', 'service'],
];

// Each fixture imports in the allowed direction and must lint clean.
const rightWay: Array<[file: string, importPath: string]> = [
  ['electron/engine/fixture.ts', '../box/box-client.ts'],
  ['electron/engine/journal/fixture.ts', '../../../shared/job-model.ts'],
  ['electron/host/fixture.ts', '../localbox/localbox.ts'],
  ['electron/service/fixture.ts', '../host/embedded-target.ts'],
  ['electron/cli/fixture.ts', '../host/embedded-target.ts'],
  ['electron/cli/fixture.ts', '../engine/upload-queue.ts'],
  ['electron/main/fixture.ts', '../service/upload-service.ts'],
  ['electron/main/fixture.ts', '../engine/index.ts'],
];

const fixture = (importPath: string) => `import { thing } from '${importPath}';\nexport const used = thing;\n`;

describe('lint enforces the layers of electron/', () => {
  for (const [file, importPath, layer] of wrongWay) {
    test(`${file} importing ${importPath} fails lint`, async () => {
      const errors = await layerErrors(file, fixture(importPath));
      assert.equal(errors.length, 1, `expected one layer error, got ${JSON.stringify(errors)}`);
      assert.match(errors[0]!, new RegExp(`must not import electron/${layer}`));
    });
  }
  for (const [file, importPath] of rightWay) {
    test(`${file} importing ${importPath} lints clean`, async () => {
      assert.deepEqual(await layerErrors(file, fixture(importPath)), []);
    });
  }

  test('code outside main and preload still may not import electron', async () => {
    const errors = await layerErrors('electron/engine/fixture.ts', fixture('electron'));
    assert.match(errors.join('\n'), /Only electron\/main and electron\/preload import electron/);
  });

  test('main still may not take raw IPC objects outside its wrapper', async () => {
    const code = `import { ipcMain } from 'electron';\nexport const used = ipcMain;\n`;
    assert.match((await layerErrors('electron/main/fixture.ts', code)).join('\n'), /ipc-registry/);
    assert.deepEqual(await layerErrors('electron/main/ipc-main.ts', code), []);
  });
});
