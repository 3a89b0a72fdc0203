import type { Notice } from '../../shared/job-model.ts';

/**
 * Notices main raises itself (files from the command line or "open with" that could not be
 * added, problems found at start): kept until the window can show them, then sent in order.
 */
export class NoticeOutbox {
  readonly #waiting: Notice[] = [];
  #send: ((notice: Notice) => void) | undefined;

  post(notice: Notice): void {
    if (this.#send) this.#send(notice);
    else this.#waiting.push(notice);
  }

  /** A window has loaded: deliver what waited, and from now on at once. */
  open(send: (notice: Notice) => void): void {
    this.#send = send;
    for (const notice of this.#waiting.splice(0)) send(notice);
  }

  /** The window is gone: keep notices for the next one. */
  close(): void {
    this.#send = undefined;
  }
}
