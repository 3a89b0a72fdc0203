import { useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useHoist } from '../store/hoist-store.ts';
import { JobRow } from './job-row.tsx';
import { windowRows, type Viewport } from './row-window.ts';

/** Up to this many files, every row is in the page (all of it reachable with Tab). */
export const WINDOW_ABOVE_ROWS = 200;
/** A collapsed row and the gap under it, until the row has been measured. */
const ESTIMATED_ROW_PX = 62;
/** The list's `gap` (styles.css .jobs). */
const ROW_GAP_PX = 6;

/** Follows the scrolling <main> around the list: where the list is, and how much of it shows. */
function useViewport(list: RefObject<HTMLUListElement | null>, active: boolean): Viewport {
  const [viewport, setViewport] = useState<Viewport>({ topPx: 0, heightPx: 1000 });
  useEffect(() => {
    const scroller = list.current?.closest('main');
    if (!active || !scroller || !list.current) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      const listTop = list.current!.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
      setViewport({ topPx: -listTop, heightPx: scroller.clientHeight });
    };
    const schedule = () => (frame ||= requestAnimationFrame(measure));
    measure();
    scroller.addEventListener('scroll', schedule, { passive: true });
    const resized = new ResizeObserver(schedule);
    resized.observe(scroller);
    return () => {
      cancelAnimationFrame(frame);
      scroller.removeEventListener('scroll', schedule);
      resized.disconnect();
    };
  }, [list, active]);
  return viewport;
}

/**
 * The queue's rows. With thousands of files (a folder drop) only the rows near the visible part
 * are in the page, each measured once shown; padding stands in for the rest, so the scrollbar
 * stays true and a 10,000-file queue renders as fast as a short one.
 */
export function JobList() {
  const order = useHoist((state) => state.order);
  const list = useRef<HTMLUListElement>(null);
  const windowed = order.length > WINDOW_ABOVE_ROWS;
  const viewport = useViewport(list, windowed);
  const [heights, setHeights] = useState<ReadonlyMap<string, number>>(() => new Map());

  const range = useMemo(
    () =>
      windowed
        ? windowRows(order, (id) => heights.get(id) ?? ESTIMATED_ROW_PX, viewport)
        : { first: 0, last: order.length - 1, beforePx: 0, afterPx: 0 },
    [order, viewport, windowed, heights],
  );

  // Rows change height (an error shown, a part map opened): measure what is rendered.
  useLayoutEffect(() => {
    if (!windowed || !list.current) return;
    const observer = new ResizeObserver((entries) =>
      setHeights((known) => {
        let next: Map<string, number> | undefined;
        for (const entry of entries) {
          const row = entry.target as HTMLElement;
          const id = row.dataset['jobId'];
          const heightPx = row.offsetHeight + ROW_GAP_PX;
          if (!id || known.get(id) === heightPx) continue;
          next ??= new Map(known);
          next.set(id, heightPx);
        }
        return next ?? known;
      }),
    );
    for (const row of list.current.children) observer.observe(row);
    return () => observer.disconnect();
  }, [windowed, range.first, range.last, order]);

  // "Go to…" a row not in the page yet: scroll to where it stands in; it focuses itself once shown.
  const focusId = useHoist((state) => state.focusRequest?.jobId);
  useEffect(() => {
    const scroller = list.current?.closest('main');
    if (!windowed || focusId === undefined || !scroller || !list.current) return;
    const index = order.indexOf(focusId);
    if (index < 0 || (index >= range.first && index <= range.last)) return;
    let offsetPx = 0;
    for (let before = 0; before < index; before++) offsetPx += heights.get(order[before]!) ?? ESTIMATED_ROW_PX;
    const listTop =
      list.current.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
    scroller.scrollTo({ top: listTop + offsetPx });
  }, [focusId, windowed, order, heights, range.first, range.last]);

  const shown = order.slice(range.first, range.last + 1);
  return (
    <ul
      ref={list}
      className="jobs"
      aria-label="Uploads"
      style={windowed ? { paddingTop: range.beforePx, paddingBottom: range.afterPx } : undefined}
    >
      {shown.map((id, index) => (
        <JobRow key={id} id={id} position={windowed ? { index: range.first + index, of: order.length } : undefined} />
      ))}
    </ul>
  );
}
