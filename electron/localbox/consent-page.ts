import { createHash } from 'node:crypto';

/**
 * The consent page localbox shows at /api/oauth2/authorize (Box: account.box.com). Plain HTML:
 * one form, no script, no external resource; it works with JavaScript off. Everything it echoes
 * from the request is escaped, and the page is served with a CSP that allows only its own inline
 * style (by hash) and form posts to itself and to the checked redirect URI's origin (browsers
 * apply form-action to the redirect that follows the post).
 */

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#222}
main{max-width:32rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}code{word-break:break-all}
.actions{display:flex;gap:1rem;margin-top:1.5rem}
button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #0061d5;cursor:pointer}
button[value=grant]{background:#0061d5;color:#fff}button[value=deny]{background:#fff;color:#0061d5}`;

const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

/** Escapes text for HTML text and for double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Headers for every page of the authorize endpoint. `formTarget`: the origin a post may redirect to. */
export function pageHeaders(formTarget: string | undefined): Record<string, string> {
  const formAction = formTarget === undefined ? "'none'" : `'self' ${formTarget}`;
  return {
    'content-security-policy': [
      "default-src 'none'",
      `style-src 'sha256-${STYLE_HASH}'`,
      `form-action ${formAction}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Not no-referrer: with it, browsers post the form with `Origin: null`, and the decision
    // route tells its own form from another site's by Origin. same-origin still sends no
    // referrer to the redirect URI.
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

/** A whole page in the consent page's style (its CSP allows that style only). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface ConsentRequest {
  clientName: string;
  userName: string;
  userLogin: string;
  /** The request's own parameters, sent back in hidden fields (absent ones are left out). */
  fields: Record<string, string | undefined>;
  redirectUri: string;
}

export function consentPage(request: ConsentRequest): string {
  const hidden = Object.entries(request.fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return page(
    'Grant access to Box',
    `<h1>Grant access to Box</h1>
<p><strong>${escapeHtml(request.clientName)}</strong> would like to read and write files in the Box
account of <strong>${escapeHtml(request.userName)}</strong> (${escapeHtml(request.userLogin)}).</p>
<p>Your browser will then return to <code>${escapeHtml(request.redirectUri)}</code>.</p>
<form method="post" action="/api/oauth2/authorize">
${hidden}
<div class="actions">
<button type="submit" name="decision" value="grant">Grant access to Box</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`,
  );
}

/** A page that says why the request cannot go on; never a redirect to an unchecked URI. */
export function errorPage(reason: string): string {
  return page(
    'Box sign-in error',
    `<h1>This sign-in cannot go on</h1>
<p>${escapeHtml(reason)}</p>
<p>Close this tab and start the sign-in again from the application.</p>`,
  );
}
