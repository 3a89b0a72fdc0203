import type { BoxClient } from '../box/box-client.ts';
import type { StoredPart, UploadSession } from '../box/box-types.ts';
import { MAX_LIST_PARTS_LIMIT } from '../../shared/box-limits.ts';

/**
 * Pages through a session's parts. The server may hold fewer entries a page than were asked for
 * (Box's spec: the maximum "varies by API"; its answer's `limit` says), so the next page starts
 * after the entries received, and paging ends at the total count or an empty page, not at the
 * first page shorter than the limit asked.
 */
async function* partPages(client: BoxClient, listPartsUrl: string, signal?: AbortSignal): AsyncGenerator<StoredPart[]> {
  for (let offset = 0; ;) {
    const page = await client.listParts(listPartsUrl, { offset, limit: MAX_LIST_PARTS_LIMIT }, signal);
    yield page.entries;
    offset += page.entries.length;
    const more = offset < page.totalCount || page.entries.length >= MAX_LIST_PARTS_LIMIT;
    if (page.entries.length === 0 || !more) return;
  }
}

/** Every part the server holds for a session, in offset order. */
export async function listAllParts(
  client: BoxClient,
  session: UploadSession,
  signal?: AbortSignal,
): Promise<StoredPart[]> {
  const parts: StoredPart[] = [];
  for await (const entries of partPages(client, session.endpoints.listParts, signal)) parts.push(...entries);
  return parts.sort((a, b) => a.offsetBytes - b.offsetBytes);
}

/**
 * The part the server holds at `part.offset`, if any. Asks for one entry at the part's index
 * first (box-ui-elements' check); entries are stored parts in offset order, so when an earlier
 * part is missing that entry is another part, and the whole list is read instead.
 */
export async function findStoredPart(
  client: BoxClient,
  listPartsUrl: string,
  part: { index: number; offset: number },
  signal?: AbortSignal,
): Promise<StoredPart | undefined> {
  const page = await client.listParts(listPartsUrl, { offset: part.index, limit: 1 }, signal);
  const entry = page.entries[0];
  if (entry?.offsetBytes === part.offset) return entry;
  for await (const entries of partPages(client, listPartsUrl, signal)) {
    const found = entries.find((each) => each.offsetBytes === part.offset);
    if (found) return found;
  }
  return undefined;
}
