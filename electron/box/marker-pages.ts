import { BoxProtocolError } from './box-error.ts';
import type { MarkerPage } from './box-types.ts';

/**
 * The pages of a marker-paged listing, first to last: `fetchPage` gets the page at a marker
 * (undefined: the first). A server that hands back a marker it already gave would make the walk
 * endless; that is a protocol error instead.
 */
export async function* markerPages<T>(
  fetchPage: (marker: string | undefined) => Promise<MarkerPage<T>>,
): AsyncGenerator<MarkerPage<T>> {
  const given = new Set<string>();
  for (let marker: string | undefined; ;) {
    const page = await fetchPage(marker);
    yield page;
    if (page.nextMarker === undefined) return;
    if (given.has(page.nextMarker)) throw new BoxProtocolError(`the listing gave the marker ${page.nextMarker} twice`);
    given.add(page.nextMarker);
    marker = page.nextMarker;
  }
}
