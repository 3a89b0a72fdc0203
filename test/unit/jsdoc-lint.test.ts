import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root, overrideConfigFile: 'build/eslint.config.js' });

/** Lints one small fixture as if it lived at `filePath`; returns the lines that lack a JSDoc block. */
async function missingDocLines(filePath: string, code: string): Promise<number[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, `eslint returned no result for ${filePath}`);
  return result.messages.filter((m) => m.ruleId === 'jsdoc/require-jsdoc').map((m) => m.line);
}

// One exported declaration of each kind the rule covers, as it would appear without its block.
const exported: Array<[kind: string, code: string]> = [
  ['function', 'export function retryAfterMs(attempt: number): number {\n  return 2 ** attempt;\n}\n'],
  ['class', 'export class PartCounter {\n  count = 0;\n}\n'],
  ['interface', 'export interface PartCount {\n  count: number;\n}\n'],
  ['type alias', "export type PartState = 'waiting' | 'sent';\n"],
  ['const', 'export const MAX_PARTS = 10_000;\n'],
  ['arrow function const', 'export const isLast = (index: number): boolean => index === 9;\n'],
];

const documented = (code: string) => `/** Why this exists, in a sentence. */\n${code}`;

describe('lint requires JSDoc on the exported API of the engine', () => {
  for (const [kind, code] of exported) {
    test(`an exported ${kind} without a JSDoc block fails lint`, async () => {
      assert.deepEqual(await missingDocLines('electron/engine/fixture.ts', code), [1]);
    });
    test(`an exported ${kind} with a JSDoc block lints clean`, async () => {
      assert.deepEqual(await missingDocLines('electron/engine/fixture.ts', documented(code)), []);
    });
  }

  test('a folder inside the engine is covered too', async () => {
    assert.deepEqual(await missingDocLines('electron/engine/sha1/fixture.ts', exported[0]![1]), [1]);
  });

  test('a line comment does not count as the block', async () => {
    assert.deepEqual(await missingDocLines('electron/engine/fixture.ts', `// Why.\n${exported[0]![1]}`), [2]);
  });

  test('helpers that are not exported, and locals inside an exported function, need no block', async () => {
    const code = [
      'const SLICE_BYTES = 4;',
      'function half(n: number): number {',
      '  return n / 2;',
      '}',
      '/** Splits a size into slices. */',
      'export function slices(sizeBytes: number): number {',
      '  type Count = number;',
      '  const count: Count = Math.ceil(sizeBytes / SLICE_BYTES);',
      '  return half(count) * 2;',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(await missingDocLines('electron/engine/fixture.ts', code), []);
  });

  test('code outside engine, host and service is not held to it', async () => {
    assert.deepEqual(await missingDocLines('electron/box/fixture.ts', exported[0]![1]), []);
  });
});
