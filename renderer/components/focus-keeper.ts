import { useEffect } from 'react';

/** Where focus was, remembered so it can be put back when that control goes away. */
interface FocusedPlace {
  element: HTMLElement;
  /** Its accessible name (aria-label, else its text): the same control, re-made, has the same. */
  name: string;
  /** The job row it was in, if any. */
  jobId: string | undefined;
  /** The row's place in the list, for when the row itself goes away. */
  rowIndex: number;
  /** Its place among the row's action buttons (Pause and Resume share a place). */
  actionIndex: number;
}

const nameOf = (element: Element): string =>
  element.getAttribute('aria-label') ?? element.textContent?.trim().replace(/\s+/g, ' ') ?? '';

const usable = (element: Element | null | undefined): element is HTMLElement =>
  element instanceof HTMLElement && element.isConnected && !(element as HTMLButtonElement).disabled;

function remember(element: HTMLElement): FocusedPlace {
  const row = element.closest<HTMLElement>('[data-job-id]');
  const rows = row?.parentElement ? Array.from(row.parentElement.children) : [];
  const actions = row ? Array.from(row.querySelectorAll('.job-actions button')) : [];
  return {
    element,
    name: nameOf(element),
    jobId: row?.dataset['jobId'],
    rowIndex: row ? rows.indexOf(row) : -1,
    actionIndex: actions.indexOf(element),
  };
}

/** Buttons in `scope` whose name is `name`, usable ones only. */
function sameNamed(scope: ParentNode, name: string): HTMLElement | undefined {
  if (!name) return undefined;
  return Array.from(scope.querySelectorAll<HTMLElement>('button, a[href], [tabindex]')).find(
    (candidate) => usable(candidate) && nameOf(candidate) === name,
  );
}

/**
 * The nearest sensible control to `lost`: the same control made again (same name, same row),
 * else in its row the action in the same place (Pause gives way to Resume, Retry to Pause), else
 * the row's first control; a row that went away hands over to the row now in its place; last,
 * Add files.
 */
export function successorOf(lost: FocusedPlace, document: Document): HTMLElement | undefined {
  if (lost.jobId !== undefined) {
    const row = document.querySelector<HTMLElement>(`[data-job-id="${CSS.escape(lost.jobId)}"]`);
    if (row) {
      const actions = Array.from(row.querySelectorAll<HTMLElement>('.job-actions button')).filter(usable);
      return (
        sameNamed(row, lost.name) ??
        (lost.actionIndex >= 0 ? actions[Math.min(lost.actionIndex, actions.length - 1)] : undefined) ??
        actions[0] ??
        row.querySelector<HTMLElement>('button') ??
        undefined
      );
    }
    const rows = Array.from(document.querySelectorAll<HTMLElement>('[data-job-id]'));
    const instead = rows[Math.min(lost.rowIndex, rows.length - 1)];
    const first = instead?.querySelector<HTMLElement>('button');
    if (usable(first)) return first;
  }
  const main = document.querySelector('main') ?? document;
  return sameNamed(main, lost.name) ?? sameNamed(main, 'Add files…');
}

/**
 * Keeps keyboard focus in the window when the focused control goes away (a row's Pause turning
 * into Resume, a name-conflict choice made, the empty state giving way to the list): focus moves
 * to the nearest sensible control instead of falling to the page. Nothing happens when focus was
 * moved on purpose (by a click elsewhere, or by a component that places focus itself).
 */
export function useFocusKeeper(): void {
  useEffect(() => {
    let last: FocusedPlace | undefined;
    const focused = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement && event.target !== document.body) last = remember(event.target);
    };
    const check = () => {
      const active = document.activeElement;
      if (!last || (active && active !== document.body)) return;
      if (usable(last.element)) return;
      const next = successorOf(last, document);
      last = undefined;
      next?.focus();
    };
    document.addEventListener('focusin', focused);
    // A control removed from the page takes focus with it without any event: watch the page.
    const observer = new MutationObserver(check);
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['disabled'],
    });
    return () => {
      document.removeEventListener('focusin', focused);
      observer.disconnect();
    };
  }, []);
}
