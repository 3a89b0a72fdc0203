import { resolve, sep } from 'node:path';

/** The file under `root` an app:// URL names, or undefined for anything that escapes it. */
export function appFilePath(root: string, url: string): string | undefined {
  const { pathname } = new URL(url);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return undefined;
  }
  const file = resolve(root, `.${decoded}`);
  return file.startsWith(root + sep) ? file : undefined;
}
