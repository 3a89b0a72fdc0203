import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ElectronApplication, Page } from 'playwright';
import { tempDir } from '../helpers/temp-dir.ts';
import { writePatternFile } from '../helpers/test-files.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron');
const electronBinary = (() => {
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(ELECTRON_DIR, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
})();

const SKIP = electronBinary
  ? false
  : 'ELECTRON binary is not installed here (it cannot be downloaded on this machine); this test runs wherever Electron can start';

/** The page's DOM, as far as these helpers use it (this process has no DOM types). */
interface PageDom {
  document: { createElement(tag: 'input'): InputElement; body: { append(element: InputElement): void } };
  DataTransfer: new () => { items: { add(file: File): void } };
  DragEvent: new (type: string, init: object) => object;
  dispatchEvent(event: object): boolean;
}
interface InputElement {
  type: string;
  multiple: boolean;
  hidden: boolean;
  files: ArrayLike<File> | null;
  remove(): void;
}

/** Drops files on the window as the OS does: real File objects from an input, so webUtils sees their paths. */
async function dropOnWindow(window: Page, paths: string[]): Promise<void> {
  const input = await window.evaluateHandle(() => {
    const dom = globalThis as unknown as PageDom;
    const element = Object.assign(dom.document.createElement('input'), { type: 'file', multiple: true, hidden: true });
    dom.document.body.append(element);
    return element;
  });
  await input.asElement()!.setInputFiles(paths);
  await window.evaluate((element) => {
    const dom = globalThis as unknown as PageDom;
    const transfer = new dom.DataTransfer();
    for (const file of Array.from((element as InputElement).files ?? [])) transfer.items.add(file);
    dom.dispatchEvent(new dom.DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    (element as InputElement).remove();
  }, input);
}

async function launch(userData: string): Promise<{ app: ElectronApplication; window: Page }> {
  const { _electron } = await import('playwright');
  const app = await _electron.launch({
    executablePath: electronBinary!,
    args: [ROOT],
    env: { ...process.env, HOIST_USER_DATA: userData },
  });
  // Quitting mid-upload asks first; answer "Quit" as a person would.
  await app.evaluate(({ dialog }) => {
    dialog.showMessageBox = (async () => ({ response: 0, checkboxChecked: false })) as typeof dialog.showMessageBox;
  });
  return { app, window: await app.firstWindow() };
}

describe('the packaged desktop app in Electron', () => {
  it(
    'drops a file, watches it upload to the embedded localbox, quits, relaunches and sees it resume',
    { skip: SKIP, timeout: 180_000 },
    async (t) => {
      // npm test built build/dist before any test ran; rebuilding here would empty it under the browser tests.
      assert.ok(existsSync(join(ROOT, 'build/dist/main/main.js')), 'build the app first: npm run build');
      const userData = await tempDir(t);
      const file = await writePatternFile(await tempDir(t), 'dropped-in-electron.bin', 400_000_000, 901);

      const first = await launch(userData);
      await first.window.getByRole('heading', { name: 'Drop files here to upload them' }).waitFor();
      await dropOnWindow(first.window, [file.path]);
      const row = first.window.getByRole('listitem', { name: /^dropped-in-electron\.bin/ });
      await row.locator('.job-state', { hasText: 'Uploading' }).waitFor();
      while (!/^[1-9]\d*\//.test(await row.locator('.job-parts').innerText()))
        await new Promise((resolve) => setTimeout(resolve, 100));
      await first.app.close();

      const second = await launch(userData);
      const resumed = second.window.getByRole('listitem', { name: /^dropped-in-electron\.bin/ });
      await resumed.getByText(/^Resumed: [\d,]+ of [\d,]+ parts were already on Box\.$/).waitFor({ timeout: 60_000 });
      await resumed.locator('.job-state', { hasText: 'Done' }).waitFor({ timeout: 120_000 });
      await second.app.close();
    },
  );
});
