import { isAbsolute, resolve } from 'node:path';

/**
 * Files given on the command line ("hoist file.bin", "Open with Hoist", a second launch): every
 * argument after the executable (and the app path when run unpackaged) that is not a switch.
 */
export function filesFromArgv(argv: readonly string[], cwd: string, packaged: boolean): string[] {
  const rest = argv.slice(packaged ? 1 : 2);
  return rest
    .filter((arg) => arg.length > 0 && !arg.startsWith('-'))
    .map((arg) => (isAbsolute(arg) ? arg : resolve(cwd, arg)));
}
