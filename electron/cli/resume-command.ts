import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openCliSession, reportJournalProblems } from './cli-session.ts';
import { defaultStateDir } from './state-dir.ts';
import { TRANSFER_OPTIONS, transferFlags } from './transfer-flags.ts';
import { onConflictFlag, printerFor, reachable, runQueue, TARGET_OPTIONS } from './upload-command.ts';
import { printable } from '../../shared/printable.ts';

export const RESUME_USAGE = `hoist resume [--state-dir DIR] [--json] [--api-url URL] [--upload-url URL] [--token T | --token-file PATH]
             [--parallel auto|N] [--limit-rate RATE] [--on-conflict fail|replace|keep-both]`;

/**
 * `hoist resume`: continues every unfinished upload recorded for this target. Each is first
 * reconciled with the server (its session's parts are the truth) and its file re-checked.
 */
export async function resumeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { ...TARGET_OPTIONS, ...TRANSFER_OPTIONS, 'on-conflict': { type: 'string' } },
  });
  // Given: the choice for names already taken, for every job resumed (each kept its own otherwise).
  const onNameConflict = values['on-conflict'] === undefined ? undefined : onConflictFlag(values['on-conflict']);
  const transfer = transferFlags(values);
  const session = await openCliSession(values, resolve(values['state-dir'] ?? defaultStateDir()), transfer);
  try {
    const { journal, queue, target } = session;
    const unfinished = journal.restore();
    reportJournalProblems(journal.store);
    for (const other of journal.otherTargets()) {
      const where =
        other.target.kind === 'custom'
          ? `--api-url ${other.target.apiBaseUrl}`
          : 'no --api-url (the embedded localbox)';
      process.stderr.write(
        `${printable(`hoist: not resumed: ${other.path} was uploading elsewhere; run hoist resume with ${where}`)}\n`,
      );
    }
    if (unfinished.length === 0) {
      if (!values.json) process.stdout.write('nothing to resume\n');
      return 0;
    }
    if (
      !(await reachable(
        target,
        queue,
        unfinished.map(({ record }) => record.path),
        values.json,
      ))
    )
      return 1;
    return await runQueue(
      queue,
      printerFor(values.json),
      () => {
        for (const { record } of unfinished) {
          if (onNameConflict) record.chooseOnNameConflict(onNameConflict);
          queue.adopt(record);
        }
      },
      session.hold,
    );
  } finally {
    await session.close();
  }
}
