import { formatBytes } from '../../../shared/format.ts';
import { escapeHtml, page, pageHeaders } from '../consent-page.ts';
import type { Exchange } from '../exchange.ts';
import type { FileRecord } from '../item-store.ts';
import type { LocalboxContext } from '../localbox-context.ts';
import { LocalboxError, notFound } from '../localbox-error.ts';
import { sharedLinkFromRequest } from '../shared-links.ts';
import { fileFull } from '../views.ts';
import { contentStream } from './item-routes.ts';

/**
 * PUT /2.0/files/{id}?fields=shared_link: Box's "Add shared link to file" (and "Update" and
 * "Remove", which are the same PUT). Box answers a malformed file id with 405 (its spec).
 */
export async function updateFile(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const id = exchange.params['fileId'] ?? '';
  if (!/^\d+$/.test(id)) throw new LocalboxError(405, 'method_not_allowed', `"${id.slice(0, 40)}" is not a file id`);
  const file = context.items.file(id);
  if (!file) throw notFound(`File ${id} not found`);
  const ifMatch = exchange.header('if-match');
  if (ifMatch !== undefined && ifMatch !== String(file.etag)) {
    throw new LocalboxError(
      412,
      'precondition_failed',
      'The resource has been modified. Please retrieve the resource again and retry',
    );
  }
  const link = sharedLinkFromRequest(await exchange.readJson(), file.sharedLink);
  if (link !== undefined) await context.items.setSharedLink(file, link);
  await exchange.json(
    200,
    fileFull(context.items, file, context.user.ownerView(context.items, file.parentId), exchange.origin),
  );
}

function where(context: LocalboxContext, file: FileRecord): string {
  return context.items
    .ancestors(file.parentId)
    .map((folder) => folder.name)
    .join(' › ');
}

/** The facts about a file a page shows; never its content (that takes the token, or an open link). */
function fileFacts(context: LocalboxContext, file: FileRecord): string {
  const version = file.versions.at(-1);
  return `<dl>
<dt>Size</dt><dd>${escapeHtml(formatBytes(version?.sizeBytes ?? 0))}</dd>
<dt>In</dt><dd>${escapeHtml(where(context, file))}</dd>
<dt>Modified</dt><dd>${escapeHtml(file.modifiedAt)}</dd>
<dt>SHA-1</dt><dd><code>${escapeHtml(version?.sha1 ?? '')}</code></dd>
</dl>`;
}

/**
 * GET /file/{id}: the file's page, as Box's web app shows a file at https://app.box.com/file/{id}
 * ("Open on Box"). Box asks the browser to sign in first; localbox has no browser sign-in, so the
 * page shows what the file is (name, size, folder, SHA-1) and never its content.
 */
export async function filePage(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const file = context.items.file(exchange.params['fileId'] ?? '');
  if (!file) {
    await exchange.html(404, page('Not found', '<h1>This file is not on this local Box</h1>'), pageHeaders(undefined));
    return;
  }
  await exchange.html(
    200,
    page(file.name, `<h1>${escapeHtml(file.name)}</h1>\n<p>On the local Box</p>\n${fileFacts(context, file)}`),
    pageHeaders(undefined),
  );
}

const ACCESS_TEXT = {
  open: 'Anyone with this link can see it.',
  company: 'People in the company can see it once signed in to Box.',
  collaborators: 'Only people invited to the file can see it once signed in to Box.',
} as const;

/** GET /s/{token}: a shared link's page; an open link that allows it offers the download. */
export async function sharedLinkPage(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const file = context.items.fileBySharedLink(exchange.params['token'] ?? '');
  const link = file?.sharedLink;
  if (!file || !link) {
    await exchange.html(404, page('Not found', '<h1>This shared link does not exist</h1>'), pageHeaders(undefined));
    return;
  }
  await context.items.setSharedLink(file, { ...link, previewCount: link.previewCount + 1 }, false);
  const download =
    link.access === 'open' && link.canDownload
      ? `<p><a href="/shared/static/${escapeHtml(link.token)}">Download</a></p>`
      : '';
  await exchange.html(
    200,
    page(
      file.name,
      `<h1>${escapeHtml(file.name)}</h1>\n<p>${ACCESS_TEXT[link.access]}</p>\n${fileFacts(context, file)}\n${download}`,
    ),
    pageHeaders(undefined),
  );
}

/**
 * GET /shared/static/{token}{.ext}: the download URL of an open link that allows downloads (Box
 * asks for a sign-in for company and collaborator links; localbox has none, so it refuses them).
 */
export async function sharedDownload(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const file = context.items.fileBySharedLink((exchange.params['token'] ?? '').replace(/\..*$/, ''));
  const link = file?.sharedLink;
  const version = file?.versions.at(-1);
  if (!file || !link || !version) throw notFound('This shared link does not exist');
  if (link.access !== 'open' || !link.canDownload)
    throw new LocalboxError(403, 'access_denied_insufficient_permissions', 'This shared link does not allow downloads');
  await context.items.setSharedLink(file, { ...link, downloadCount: link.downloadCount + 1 }, false);
  await exchange.stream(
    200,
    {
      'content-type': 'application/octet-stream',
      'content-length': String(version.sizeBytes),
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    },
    contentStream(context.dataDir, version),
  );
}
