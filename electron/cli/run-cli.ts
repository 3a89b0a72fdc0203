import { listCommand, LIST_USAGE } from './list-command.ts';
import { localboxCommand, LOCALBOX_USAGE } from './localbox-command.ts';
import { resumeCommand, RESUME_USAGE } from './resume-command.ts';
import { uploadCommand, UPLOAD_USAGE } from './upload-command.ts';
import { loginCommand, LOGIN_USAGE } from './login-command.ts';
import { logoutCommand, LOGOUT_USAGE, whoamiCommand, WHOAMI_USAGE } from './account-commands.ts';
import { CliError, UsageError } from './usage-error.ts';

const USAGE = `Usage:
  ${UPLOAD_USAGE}
  ${RESUME_USAGE}
  ${LIST_USAGE}
  ${LOCALBOX_USAGE}
  ${LOGIN_USAGE}
  ${WHOAMI_USAGE}
  ${LOGOUT_USAGE}

With no --api-url, files go to the embedded localbox (data under the state directory).
Unfinished uploads are recorded in the state directory: \`hoist resume\` continues them.
With --api-url, the token comes from --token, --token-file, HOIST_TOKEN, or the sign-in that
\`hoist login --api-url URL\` stored for that server. HOIST_CLIENT_ID / HOIST_CLIENT_SECRET name
the Box app for hoist login. Exit codes: 0 all uploaded, 1 some failed, 2 usage or not signed in.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  upload: uploadCommand,
  resume: resumeCommand,
  list: listCommand,
  localbox: localboxCommand,
  login: loginCommand,
  whoami: whoamiCommand,
  logout: logoutCommand,
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
    if (usage) {
      process.stderr.write(`hoist: ${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    // Never a stack trace for a person; HOIST_DEBUG=1 shows it for a developer.
    const detail = process.env['HOIST_DEBUG'] ? `\n${(error as Error).stack}` : '';
    process.stderr.write(`hoist: ${(error as Error).message ?? String(error)}${detail}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
