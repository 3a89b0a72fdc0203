import { localboxCommand, LOCALBOX_USAGE } from './localbox-command.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `Usage:
  ${LOCALBOX_USAGE}`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  localbox: localboxCommand,
};

/** Runs one `hoist` command line; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    return await command(args);
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!usage) throw error;
    process.stderr.write(`hoist: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
}
