import { CliError, UsageError } from './usage-error.ts';
import { printable } from '../../shared/printable.ts';

interface CommandModule {
  usage: string;
  run(args: string[]): Promise<number>;
}

/**
 * Each command is loaded when it is run, so `hoist list` never loads localbox, the upload engine
 * or the OAuth client (the bundle keeps each in its own chunk; see build/scripts/build-cli.ts).
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  upload: async () => {
    const { uploadCommand, UPLOAD_USAGE } = await import('./upload-command.ts');
    return { usage: UPLOAD_USAGE, run: uploadCommand };
  },
  resume: async () => {
    const { resumeCommand, RESUME_USAGE } = await import('./resume-command.ts');
    return { usage: RESUME_USAGE, run: resumeCommand };
  },
  list: async () => {
    const { listCommand, LIST_USAGE } = await import('./list-command.ts');
    return { usage: LIST_USAGE, run: listCommand };
  },
  localbox: async () => {
    const { localboxCommand, LOCALBOX_USAGE } = await import('./localbox-command.ts');
    return { usage: LOCALBOX_USAGE, run: localboxCommand };
  },
  login: async () => {
    const { loginCommand, LOGIN_USAGE } = await import('./login-command.ts');
    return { usage: LOGIN_USAGE, run: loginCommand };
  },
  whoami: async () => {
    const { whoamiCommand, WHOAMI_USAGE } = await import('./account-commands.ts');
    return { usage: WHOAMI_USAGE, run: whoamiCommand };
  },
  logout: async () => {
    const { logoutCommand, LOGOUT_USAGE } = await import('./account-commands.ts');
    return { usage: LOGOUT_USAGE, run: logoutCommand };
  },
};

async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return `Usage:
${commands.map((command) => `  ${command.usage}`).join('\n')}

With no --api-url, files go to the embedded localbox (data under the state directory).
Unfinished uploads are recorded in the state directory: \`hoist resume\` continues them.
With --api-url, the token comes from --token, --token-file, HOIST_TOKEN, or the sign-in that
\`hoist login --api-url URL\` stored for that server. HOIST_CLIENT_ID / HOIST_CLIENT_SECRET name
the Box app for hoist login. HOIST_TOKEN, HOIST_CLIENT_ID and HOIST_CLIENT_SECRET are for one
server: the one HOIST_API_URL names, or Box (https://api.box.com) when it is unset; another
--api-url never receives them (--token, --client-id and --client-secret go where --api-url says).
Exit codes: 0 all uploaded, 1 some failed, 2 usage or not signed in.`;
}

/** Runs one `hoist` command line; returns the exit code (0 ok, 1 failed, 2 usage). */
/** A message of several lines (Node's own usage errors have some), each line made printable. */
const printableLines = (message: string): string => message.split('\n').map(printable).join('\n');

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  try {
    if (!load) throw new UsageError(`unknown command "${name}"`);
    return await (await load()).run(args);
  } catch (error) {
    const usageError = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (usageError) {
      process.stderr.write(`hoist: ${printableLines((error as Error).message)}\n\n${await usage()}\n`);
      return 2;
    }
    // Never a stack trace for a person; HOIST_DEBUG=1 shows it for a developer.
    const detail = process.env['HOIST_DEBUG'] ? `\n${(error as Error).stack}` : '';
    process.stderr.write(`hoist: ${printableLines((error as Error).message ?? String(error))}${detail}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
