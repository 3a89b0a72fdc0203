// One lint config for the whole repository. It carries the layer rules of DESIGN.md section 1,
// so a wrong import fails `npm run lint` instead of relying on habit.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsdoc from 'eslint-plugin-jsdoc';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const nodeImportRule = (message) => ({
  paths: nodeModules.map((name) => ({ name, message })),
  patterns: [{ group: ['node:*'], message }],
});

// The layers of electron/ (DESIGN.md section 1, README "Architecture"): each folder may import
// only the folders listed for it, plus itself and shared/. An arrow the other way fails lint.
//
//   box <- engine <- host <- service <- main        localbox beside them (host starts it embedded)
//                        ^-- cli                    shared/ under all; preload talks only IPC
//
// Main reaches the engine only through electron/engine/index.ts, its public surface for the shell.
const layers = {
  box: [],
  localbox: [],
  engine: ['box'],
  host: ['engine', 'box', 'localbox'],
  service: ['host', 'engine', 'box', 'localbox'],
  cli: ['host', 'engine', 'box', 'localbox'],
  main: ['service', 'engine/index.ts'],
  preload: [],
};
const electronFolders = Object.keys(layers);
const onlyInMainAndPreload = {
  name: 'electron',
  message: 'Only electron/main and electron/preload import electron (DESIGN.md section 1).',
};
const rawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Register IPC through electron/main/ipc-registry.ts (via ipc-main.ts).',
};

/** `no-restricted-imports` for one folder of electron/: the other layers it must not reach. */
function layerRule(folder) {
  const allowed = layers[folder];
  const patterns = [{ group: ['**/renderer/**'], message: 'Node code never imports the renderer.' }];
  for (const other of electronFolders) {
    if (other === folder || allowed.includes(other)) continue;
    const group = [`**/${other}/**`, ...allowed.filter((a) => a.startsWith(`${other}/`)).map((a) => `!**/${a}`)];
    const may = allowed.length ? `it may import ${allowed.join(', ')} and shared/` : 'it may import only shared/';
    patterns.push({
      group,
      message: `electron/${folder} must not import electron/${other}: ${may} (layers in DESIGN.md section 1).`,
    });
  }
  return patterns;
}

function layerConfigs() {
  // Raw IPC objects live only in the two wrappers, which check senders and payloads.
  const ipcWrappers = ['electron/main/ipc-main.ts', 'electron/preload/preload.ts'];
  return electronFolders.flatMap((folder) => {
    const shell = folder === 'main' || folder === 'preload';
    const rule = (paths) => ({ 'no-restricted-imports': ['error', { paths, patterns: layerRule(folder) }] });
    const files = [`electron/${folder}/**/*.ts`];
    if (!shell) return [{ files, rules: rule([onlyInMainAndPreload]) }];
    const wrappers = ipcWrappers.filter((file) => file.startsWith(`electron/${folder}/`));
    return [
      { files, ignores: wrappers, rules: rule([rawIpc]) },
      { files: wrappers, rules: rule([]) },
    ];
  });
}

// Declarations at the top of a module, written directly or inside `export`. Nested ones are local
// helpers; the rule's export check alone would count them as exported, as they sit under an export.
const topLevel = (type) => [`Program > ${type}`, `Program > ExportNamedDeclaration > ${type}`];

// The engine, host and service are used across layers and by the CLI: every exported function,
// class, interface, type alias and const says in a /** */ block what it is for (STYLE.md "JSDoc on
// exports"). Only the block's presence is checked; our comments are prose, so no @param/@returns
// rules. Public methods are not checked: the block on their class covers the obvious ones.
const exportedApiDocs = {
  files: ['electron/engine/**/*.ts', 'electron/host/**/*.ts', 'electron/service/**/*.ts'],
  plugins: { jsdoc },
  rules: {
    'jsdoc/require-jsdoc': [
      'error',
      {
        publicOnly: true,
        require: { FunctionDeclaration: true, ClassDeclaration: true },
        contexts: ['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'VariableDeclaration'].flatMap(topLevel),
        // The fixer would insert empty blocks, which satisfy the rule and say nothing.
        enableFixer: false,
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'build/dist/**', 'build/cli/**', 'build/release/**', 'electron/native/sha1/build/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a union of string literals (enums are not erasable).' },
      ],
    },
  },
  {
    files: ['build/**/*.js', 'electron/cli/hoist.js', 'test/fixtures/**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'URL', 'fetch', 'setTimeout', 'setInterval', 'clearInterval'].map((name) => [
          name,
          'readonly',
        ]),
      ),
    },
  },
  {
    // electron-builder loads its hooks with require().
    files: ['build/**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', exports: 'writable', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // shared/ is imported by both sides: no Node, no Electron, no DOM, no app layer.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...nodeImportRule('shared/ runs in the renderer too: no Node modules.'),
          paths: [
            ...nodeImportRule('shared/ runs in the renderer too: no Node modules.').paths,
            { name: 'electron', message: 'shared/ must not import electron.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'shared/ runs in the renderer too: no Node modules.' },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ imports nothing from electron/ or renderer/.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer'],
    },
  },
  {
    // The renderer talks to the world only through window.hoist.
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeImportRule('The renderer has no Node: use window.hoist.').paths,
            { name: 'electron', message: 'The renderer has no Electron: use window.hoist.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer has no Node: use window.hoist.' },
            { group: ['**/electron/**'], message: 'The renderer imports nothing from electron/: use window.hoist.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'require', 'Buffer'],
    },
  },
  ...layerConfigs(),
  exportedApiDocs,
);
