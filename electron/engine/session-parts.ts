import type { BoxClient } from '../box/box-client.ts';
import type { UploadedPart, UploadSession } from '../box/box-types.ts';
import { MAX_LIST_PARTS_LIMIT } from '../../shared/box-limits.ts';

/** Every part the server holds for a session, paging with offset/limit (offset = entry index). */
export async function listAllParts(
  client: BoxClient,
  session: UploadSession,
  signal?: AbortSignal,
): Promise<UploadedPart[]> {
  const parts: UploadedPart[] = [];
  for (let offset = 0; ; offset += MAX_LIST_PARTS_LIMIT) {
    const page = await client.listParts(
      session.session_endpoints.list_parts,
      { offset, limit: MAX_LIST_PARTS_LIMIT },
      signal,
    );
    parts.push(...page.entries);
    if (page.entries.length < MAX_LIST_PARTS_LIMIT) break;
  }
  return parts.sort((a, b) => a.offset - b.offset);
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
): Promise<UploadedPart | undefined> {
  const page = await client.listParts(listPartsUrl, { offset: part.index, limit: 1 }, signal);
  const entry = page.entries[0];
  if (entry?.offset === part.offset) return entry;
  for (let offset = 0; ; offset += MAX_LIST_PARTS_LIMIT) {
    const all = await client.listParts(listPartsUrl, { offset, limit: MAX_LIST_PARTS_LIMIT }, signal);
    const found = all.entries.find((each) => each.offset === part.offset);
    if (found || all.entries.length < MAX_LIST_PARTS_LIMIT) return found;
  }
}
