import { listCommand, LIST_USAGE } from './list-command.ts';
import { localboxCommand, LOCALBOX_USAGE } from './localbox-command.ts';
import { resumeCommand, RESUME_USAGE } from './resume-command.ts';
import { uploadCommand, UPLOAD_USAGE } from './upload-command.ts';
import { UsageError } from './usage-error.ts';
import { printable } from '../../shared/printable.ts';

const USAGE = `Usage:
  ${UPLOAD_USAGE}
  ${RESUME_USAGE}
  ${LIST_USAGE}
  ${LOCALBOX_USAGE}

With no --api-url, files go to the embedded localbox (data under the state directory).
Unfinished uploads are recorded in the state directory: \`hoist resume\` continues them.
The token may also come from HOIST_TOKEN. Exit codes: 0 all uploaded, 1 some failed, 2 usage.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  upload: uploadCommand,
  resume: resumeCommand,
  list: listCommand,
  localbox: localboxCommand,
};

/** Runs one `hoist` command line; returns the exit code (0 ok, 1 failed, 2 usage). */
/** A message of several lines (Node's own usage errors have some), each line made printable. */
const printableLines = (message: string): string => message.split('\n').map(printable).join('\n');

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
    if (usage) {
      process.stderr.write(`hoist: ${printableLines((error as Error).message)}\n\n${USAGE}\n`);
      return 2;
    }
    // Never a stack trace for a person; HOIST_DEBUG=1 shows it for a developer.
    const detail = process.env['HOIST_DEBUG'] ? `\n${(error as Error).stack}` : '';
    process.stderr.write(`hoist: ${printableLines((error as Error).message ?? String(error))}${detail}\n`);
    return 1;
  }
}
