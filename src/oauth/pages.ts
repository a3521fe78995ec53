import type { Response } from 'express';
import type { ConsentView } from './types.js';
import { displayText } from './display-text.js';
import { READ_SCOPE, WRITE_SCOPE } from './scopes.js';

const SCOPE_TEXT: Record<string, string> = {
  [READ_SCOPE]: 'Read documents, reports and metadata you can see in Frappe',
  [WRITE_SCOPE]: 'Create, change, submit and delete documents you are allowed to change in Frappe',
};

/** HTML-escaped, without the controls that could make a name read differently (see displayText). */
export function esc(s: string): string {
  return displayText(s, Infinity).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Pages of the facade: no script, no framing, nothing cached. */
function send(res: Response, status: number, title: string, body: string, formTargets = ''): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${formTargets}; frame-ancestors 'none'; base-uri 'none'`,
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>` +
        '<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1f272e}' +
        'code{background:#f4f5f6;padding:.1rem .3rem;border-radius:4px;word-break:break-all}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem;border-radius:6px;border:1px solid #888;cursor:pointer}' +
        'button.primary{background:#171717;color:#fff}li{margin:.3rem 0}.muted{color:#687178;font-size:.9rem}</style></head>' +
        `<body>${body}</body></html>`,
    );
}

export function errorPage(res: Response, status: number, message: string): void {
  send(res, status, 'Sign-in problem', `<h1>Sign-in problem</h1><p>${esc(message)}</p>`);
}

/**
 * Chromium applies form-action to the redirect that follows the form POST, so the client's redirect
 * URI must be an allowed form target, or the answer never reaches the client.
 */
function redirectSource(uri: string): string {
  try {
    const u = new URL(uri);
    if (u.protocol === 'http:' || u.protocol === 'https:') return ` ${u.origin}`;
    return /^[a-z][a-z0-9+.-]*:$/i.test(u.protocol) ? ` ${u.protocol}` : '';
  } catch {
    return '';
  }
}

export function consentPage(res: Response, v: ConsentView, action: string): void {
  const scopes = v.scopes.map((s) => `<li><strong>${esc(s)}</strong>: ${esc(SCOPE_TEXT[s] ?? s)}</li>`).join('');
  const host = (() => {
    try {
      return new URL(v.redirectUri).host || v.redirectUri;
    } catch {
      return v.redirectUri;
    }
  })();
  send(
    res,
    200,
    'Allow access to Frappe?',
    `<h1>Allow <em>${esc(v.clientName)}</em> to use Frappe as you?</h1>` +
      `<p>Signed in to Frappe as <strong>${esc(v.user)}</strong>.</p>` +
      `<p>The application will be able to:</p><ul>${scopes}</ul>` +
      '<p class="muted">It acts with your Frappe permissions and never sees your password or your Frappe token.</p>' +
      `<p class="muted">After you answer, your browser returns to <strong>${esc(host)}</strong>: <code>${esc(v.redirectUri)}</code></p>` +
      `<p class="muted">Client: <code>${esc(v.clientId)}</code>${v.cimd ? ' (identified by its metadata URL)' : ' (registered automatically; the name is what the application says about itself)'}</p>` +
      `<form method="post" action="${esc(action)}">` +
      `<input type="hidden" name="consent" value="${esc(v.consentId)}"><input type="hidden" name="csrf" value="${esc(v.csrf)}">` +
      '<button class="primary" type="submit" name="decision" value="approve">Allow</button>' +
      '<button type="submit" name="decision" value="deny">Deny</button></form>',
    redirectSource(v.redirectUri),
  );
}
