import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatBytes, formatPercent } from '../../shared/format.ts';
import { openJournal } from './cli-session.ts';
import { defaultStateDir } from './state-dir.ts';
import { printable } from '../../shared/printable.ts';

export const LIST_USAGE = 'hoist list [--state-dir DIR] [--json]';

/** `hoist list`: the unfinished uploads in the journal, with their progress as last saved. */
export async function listCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { 'state-dir': { type: 'string' }, json: { type: 'boolean' } },
  });
  const { lock, store } = openJournal(resolve(values['state-dir'] ?? defaultStateDir()));
  try {
    const headers = store.headers().sort((a, b) => a.createdAtMs - b.createdAtMs);
    for (const header of headers) {
      const sizeBytes = header.snapshot?.sizeBytes ?? 0;
      const target = header.target.kind === 'custom' ? header.target.apiBaseUrl : 'embedded localbox';
      const parts = header.session ? `${header.confirmedParts}/${header.session.totalParts} parts` : 'not started';
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ path: header.path, target, state: header.state, sizeBytes, confirmedBytes: header.confirmedBytes, confirmedParts: header.confirmedParts, totalParts: header.session?.totalParts ?? null, sessionExpiresAt: header.session?.expiresAt ?? null, error: header.lastError ?? null })}\n`,
        );
        continue;
      }
      const progress = `${formatPercent(header.confirmedBytes, sizeBytes)} of ${formatBytes(sizeBytes)}`;
      const error = header.lastError ? `  (${header.lastError.message})` : '';
      process.stdout.write(
        `${printable(`${header.state.padEnd(7)}  ${progress.padEnd(16)}  ${parts.padEnd(16)}  ${target}  ${header.path}${error}`)}\n`,
      );
    }
    if (headers.length === 0 && !values.json) process.stdout.write('no unfinished uploads\n');
    return 0;
  } finally {
    lock.release();
  }
}
