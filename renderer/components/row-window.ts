/** Rows rendered beyond the visible ones, above and below, so fast scrolling shows no gaps. */
const OVERSCAN_PX = 800;

export interface Viewport {
  /** The scroller's scroll position relative to the top of the list. */
  topPx: number;
  heightPx: number;
}

/** The rows to render for `viewport`, and the space that stands in for the rest. */
export function windowRows(
  order: readonly string[],
  heightOf: (id: string) => number,
  viewport: Viewport,
): { first: number; last: number; beforePx: number; afterPx: number } {
  const fromPx = viewport.topPx - OVERSCAN_PX;
  const toPx = viewport.topPx + viewport.heightPx + OVERSCAN_PX;
  let offsetPx = 0;
  let first = order.length;
  let beforePx = 0;
  let last = order.length - 1;
  for (let index = 0; index < order.length; index++) {
    const heightPx = heightOf(order[index]!);
    if (first === order.length && offsetPx + heightPx > fromPx) {
      first = index;
      beforePx = offsetPx;
    }
    offsetPx += heightPx;
    if (offsetPx >= toPx) {
      last = index;
      break;
    }
  }
  if (first === order.length) {
    // Scrolled past the end (the list just got shorter): show the last row where it is.
    first = last;
    beforePx = offsetPx - heightOf(order[last]!);
  }
  let afterPx = 0;
  for (let index = last + 1; index < order.length; index++) afterPx += heightOf(order[index]!);
  return { first, last, beforePx, afterPx };
}
