import type { AddFilesResult, Notice } from './job-model.ts';

/** What could not be queued, as notices: one per file for the first three, then a count. */
export function rejectionNotices(rejected: AddFilesResult['rejected']): Notice[] {
  const notices: Notice[] = rejected
    .slice(0, 3)
    .map(({ path, message }) => ({ level: 'error', message: `${path.split(/[\\/]/).pop()}: ${message}` }));
  if (rejected.length > 3)
    notices.push({ level: 'error', message: `${rejected.length - 3} more files could not be added.` });
  return notices;
}
