import type { ReactNode } from 'react';
import type { JobError } from '../../shared/job-model.ts';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** An error as a sentence a person can act on, with the server's code on a detail line. */
export function JobErrorText({
  error,
  waiting,
  children,
}: {
  error: JobError;
  waiting: boolean;
  /** What the person can do about it, under the sentence. */
  children?: ReactNode;
}) {
  const retry = waiting && error.retryAtMs ? ` Retrying at ${clock.format(new Date(error.retryAtMs))}.` : '';
  return (
    <div
      className={waiting ? 'job-message job-message-waiting' : 'job-message job-message-error'}
      role={waiting ? 'status' : 'alert'}
    >
      <p>
        {error.message}
        {retry}
      </p>
      {error.detail && <p className="job-detail">{error.detail}</p>}
      {children}
    </div>
  );
}
