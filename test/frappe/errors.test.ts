import { describe, expect, it } from 'vitest';
import { decodeFrappeError, serverMessages, stripHtml, type FrappeErrorKind } from '../../src/frappe/errors.js';
import { loadTranscripts } from '../helpers/transcripts.js';

function expectedKind(status: number, excType: string | undefined, html: boolean): FrappeErrorKind {
  if (html || status >= 500) return 'upstream';
  if (status === 400)
    return excType === 'CSRFTokenError' ? 'csrf' : excType?.startsWith('InvalidAuthorization') ? 'auth' : 'bad_request';
  const byStatus: Record<number, FrappeErrorKind> = {
    401: 'auth',
    403: 'permission',
    404: 'not_found',
    409: 'conflict',
    417: 'validation',
    429: 'rate_limit',
  };
  return byStatus[status] ?? 'bad_request';
}

// Both versions' recordings: 16 writes `_server_messages` as compact JSON with `as_table` in every message.
const errorTranscripts = [
  ...loadTranscripts(15).map((t) => ({ ...t, name: `15 ${t.name}` })),
  ...loadTranscripts(16).map((t) => ({ ...t, name: `16 ${t.name}` })),
].filter((t) => t.response.status >= 400);

describe('decodeFrappeError on every recorded Frappe error (15 and 16)', () => {
  it('has recorded errors to decode', () => {
    expect(errorTranscripts.length).toBeGreaterThan(100);
  });

  it.each(errorTranscripts.map((t) => [t.name, t] as const))('%s', (_name, t) => {
    const { status, headers, body } = t.response;
    const ct = headers['content-type'];
    const contentType = typeof ct === 'string' ? ct : '';
    const html = contentType.includes('html');
    const decoded = decodeFrappeError(status, html ? '<html><title>Error</title></html>' : body, {
      'content-type': contentType,
      'retry-after': headers['retry-after'],
    });
    const excType = !html && body && typeof body === 'object' ? (body as { exc_type?: string }).exc_type : undefined;
    expect(decoded.kind).toBe(expectedKind(status, excType, html));
    expect(decoded.status).toBe(status);
    // Only trusted, plain text: no markup and no traceback ever reaches a user or a model.
    expect(decoded.message).not.toMatch(/<[a-z/][^>]*>/i);
    expect(decoded.message).not.toMatch(/Traceback|File "/);
    expect(decoded.message.length).toBeGreaterThan(5);
    if (body && typeof body === 'object' && (body as { session_expired?: number }).session_expired === 1) {
      expect(decoded.sessionExpired).toBe(true);
      expect(decoded.credentialRejected).toBe(true);
    }
  });
});

describe('decodeFrappeError messages', () => {
  const byName = new Map(loadTranscripts().map((t) => [t.name, t]));
  const decode = (name: string) => {
    const t = byName.get(name)!;
    return decodeFrappeError(t.response.status, t.response.body, t.response.headers);
  };

  it('takes the double-encoded _server_messages text of a missing mandatory field', () => {
    const e = decode('rest-sales-sid-customer-post-missing-mandatory');
    expect(e.kind).toBe('validation');
    expect(e.excType).toBe('MandatoryError');
    expect(e.message).toBe('Error: Value missing for Customer: Customer Name');
  });

  it('strips the <details>/<strong> markup of a dead session and marks it expired', () => {
    const e = decode('auth-sid-get_logged_user-expired');
    expect(e.kind).toBe('permission');
    expect(e.sessionExpired).toBe(true);
    expect(e.message).toContain('You are not permitted to access this resource');
    expect(e.message).toContain('frappe.auth.get_logged_user is not whitelisted');
  });

  it('recognises a CSRF refusal', () => {
    const e = decode('csrf-post-after-app-no-header');
    expect(e.kind).toBe('csrf');
    expect(e.message).toBe('Invalid Request');
  });

  it('keeps a bare 401 without message as an auth failure that rejects the credential', () => {
    const e = decode('auth-token-get_logged_user-wrong-secret');
    expect(e.kind).toBe('auth');
    expect(e.credentialRejected).toBe(true);
    expect(e.message).toBe('Frappe did not accept the credential.');
  });

  it('reads the Retry-After of the site-wide rate limiter', () => {
    const e = decode('error-rate-limit-site-429');
    expect(e.kind).toBe('rate_limit');
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(0);
  });

  it('names the exception of a bare 500 without leaking details', () => {
    const e = decode('error-method-missing-argument');
    expect(e.kind).toBe('upstream');
    expect(e.message).toMatch(/^Frappe failed with \w+ \(HTTP 500\)\.$/);
  });

  it('turns an HTML error page into an upstream failure', () => {
    const e = decodeFrappeError(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' });
    expect(e.kind).toBe('upstream');
    expect(e.failure).toBe('html');
  });

  it('reads v2 errors[]', () => {
    const e = decodeFrappeError(417, {
      errors: [{ type: 'ValidationError', message: '<b>Bad</b> value', title: 'x' }],
    });
    expect(e.kind).toBe('validation');
    expect(e.excType).toBe('ValidationError');
    expect(e.message).toBe('Bad value');
  });
});

describe('serverMessages and stripHtml', () => {
  it('decodes several messages and entities', () => {
    const inner = [
      JSON.stringify({ message: 'A &amp; <strong>B</strong>' }),
      JSON.stringify({ message: 'line<br>two' }),
    ];
    expect(serverMessages({ _server_messages: JSON.stringify(inner) })).toEqual(['A & B', 'line two']);
  });

  it('ignores garbage without throwing', () => {
    expect(serverMessages({ _server_messages: '{not json' })).toEqual([]);
    expect(serverMessages(null)).toEqual([]);
    expect(stripHtml('<a href="/x">link</a>  text')).toBe('link text');
  });
});
