export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS = { width: 980, height: 680 };
export const MIN_SIZE = { width: 640, height: 420 };

/**
 * The remembered window bounds, if they still make sense: at least the minimum size and mostly
 * on a display that exists now (a monitor may have been unplugged since).
 */
export function restorableBounds(saved: unknown, displays: readonly Bounds[]): Bounds | undefined {
  const bounds = saved as Partial<Bounds> | undefined;
  if (!bounds || ![bounds.x, bounds.y, bounds.width, bounds.height].every((value) => Number.isFinite(value)))
    return undefined;
  const { x, y, width, height } = bounds as Bounds;
  if (width < MIN_SIZE.width || height < MIN_SIZE.height) return undefined;
  const visible = displays.some((area) => {
    const overlapX = Math.min(x + width, area.x + area.width) - Math.max(x, area.x);
    const overlapY = Math.min(y + height, area.y + area.height) - Math.max(y, area.y);
    return overlapX >= 100 && overlapY >= 100;
  });
  return visible ? { x, y, width, height } : undefined;
}
