/** A command line the user got wrong: reported with the usage text, exit code 2. */
export class UsageError extends Error {}

/** Something that stops a whole command (not one file): one line, exit code 1. */
export class CliError extends Error {}

/** Parses a whole number flag, or says which flag is wrong. */
export function wholeNumberFlag(name: string, value: string | undefined, { min = 0 } = {}): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min) {
    throw new UsageError(`--${name} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}"`);
  }
  return number;
}
