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
