import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { FrappeSite } from '../../src/frappe/client.js';
import { credentialHeaders } from '../../src/frappe/credential.js';
import { siteVersion } from '../../src/frappe/version.js';
import { captureLogger } from '../helpers/logger.js';
import { failure } from '../helpers/failure.js';
import { optimizeOnNextCall, sameHiddenClass } from '../helpers/v8.js';

const BASE = 'http://frappe.test';

function site(retries = 2): FrappeSite {
  return new FrappeSite({
    baseUrl: BASE,
    timeoutMs: 500,
    retries,
    logger: captureLogger().logger,
    maxRetryWaitSeconds: 1,
  });
}

const sales = { kind: 'sid' as const, sid: 'a1b2c3d4e5f6a7b8c9d0' };

afterEach(() => {
  expect(nock.isDone()).toBe(true);
  nock.cleanAll();
});

describe('credentialHeaders', () => {
  it('turns each credential kind into exactly one header', () => {
    expect(credentialHeaders(sales)).toEqual({ Cookie: 'sid=a1b2c3d4e5f6a7b8c9d0' });
    expect(credentialHeaders(sales, 'csrf1234')).toEqual({
      Cookie: 'sid=a1b2c3d4e5f6a7b8c9d0',
      'X-Frappe-CSRF-Token': 'csrf1234',
    });
    expect(credentialHeaders({ kind: 'bearer', token: 'tok12345' })).toEqual({ Authorization: 'Bearer tok12345' });
    expect(credentialHeaders({ kind: 'api_key', key: 'k', secret: 's' })).toEqual({ Authorization: 'token k:s' });
  });
});

describe('FrappeClient', () => {
  it('builds each call on shared hidden classes, also once V8 has optimised it (issue #12)', async () => {
    const s = site(0);
    // The options and headers of each call, as handed to node:http.
    const seen: RequestOptions[] = [];
    const slot = s as unknown as { request: (o: RequestOptions, cb: (res: IncomingMessage) => void) => ClientRequest };
    const real = slot.request;
    slot.request = (o, cb) => {
      seen.push(o);
      return real(o, cb);
    };
    nock(BASE).get('/api/method/ping').times(6).reply(200, { message: 'pong' });
    const client = s.as(sales);
    const ping = () => client.request({ method: 'GET', path: '/api/method/ping' });
    for (let i = 0; i < 3; i++) await ping();
    const proto = FrappeSite.prototype as unknown as Record<'dispatch' | 'exchange', (...a: unknown[]) => unknown>;
    optimizeOnNextCall(proto.dispatch);
    optimizeOnNextCall(proto.exchange);
    for (let i = 0; i < 3; i++) await ping();
    // Optimised code that copies an object with a spread and then adds to it made a new hidden class on
    // every call, kept in V8's old space with what it points at until a full collection.
    const [a, b] = seen.slice(-2) as [RequestOptions, RequestOptions];
    expect(sameHiddenClass(a, b)).toBe(true);
    expect(sameHiddenClass(a.headers!, b.headers!)).toBe(true);
    expect(a.headers).toMatchObject({ Cookie: `sid=${sales.sid}`, Accept: 'application/json' });
  });

  it('sends the credential, Accept: application/json and the site name', async () => {
    const s = new FrappeSite({
      baseUrl: BASE,
      siteName: 'erp.example.com',
      timeoutMs: 500,
      retries: 0,
      logger: captureLogger().logger,
    });
    nock(BASE, { badheaders: ['authorization'] })
      .get('/api/method/frappe.auth.get_logged_user')
      .matchHeader('cookie', 'sid=a1b2c3d4e5f6a7b8c9d0')
      .matchHeader('accept', 'application/json')
      .matchHeader('x-frappe-site-name', 'erp.example.com')
      .reply(200, { message: 'sales@example.com' });
    expect(await s.as(sales).call('frappe.auth.get_logged_user')).toBe('sales@example.com');
  });

  it('percent-encodes a space or non-ASCII in a path, as a URL would', async () => {
    nock(BASE)
      .post('/api/resource/OAuth%20Client')
      .reply(200, { data: { client_id: 'c1' } });
    nock(BASE).get('/api/resource/Caf%C3%A9').reply(200, { data: [] });
    const client = site(0).as({ kind: 'api_key', key: 'k', secret: 's' });
    const res = await client.request<{ data: { client_id: string } }>({
      method: 'POST',
      path: '/api/resource/OAuth Client',
      json: { app_name: 'x' },
    });
    expect(res.data.data.client_id).toBe('c1');
    await client.request({ method: 'GET', path: '/api/resource/Café' });
  });

  it('strips sid from forwarded query and body parameters', async () => {
    nock(BASE)
      .get('/api/method/x.y')
      .query((q) => !('sid' in q) && q.a === '1')
      .reply(200, { message: 1 });
    nock(BASE)
      .post('/api/method/x.z', (b: Record<string, unknown>) => !('sid' in b) && b.a === 1)
      .reply(200, { message: 2 });
    const c = site().as({ kind: 'api_key', key: 'k', secret: 's' });
    expect(await c.call('x.y', { a: 1, sid: 'attacker' })).toBe(1);
    expect(await c.call('x.z', { a: 1, sid: 'attacker' }, { http: 'POST' })).toBe(2);
  });

  it('never follows a redirect with a credential', async () => {
    nock(BASE).get('/api/resource/Customer').reply(302, '', { Location: 'http://evil.test/steal' });
    const scope = nock('http://evil.test').get('/steal').reply(200, {});
    const err = await failure(site().as(sales).list('Customer', {}));
    expect(err.kind).toBe('upstream');
    expect(err.failure).toBe('redirect');
    expect(scope.isDone()).toBe(false);
    nock.cleanAll();
  });

  it('retries an idempotent GET on 503 honouring Retry-After, then succeeds', async () => {
    nock(BASE).get('/api/resource/Customer/Acme').reply(503, 'busy', { 'Retry-After': '0' });
    nock(BASE)
      .get('/api/resource/Customer/Acme')
      .reply(200, { data: { name: 'Acme' } });
    expect(await site().as(sales).getDoc('Customer', 'Acme')).toEqual({ name: 'Acme' });
  });

  it('gives up when Retry-After is longer than it may wait', async () => {
    nock(BASE)
      .get('/api/resource/Customer/Acme')
      .reply(429, { exc_type: 'TooManyRequestsError' }, { 'Retry-After': '60' });
    const err = await failure(site().as(sales).getDoc('Customer', 'Acme'));
    expect(err.kind).toBe('rate_limit');
    expect(err.retryAfterSeconds).toBe(60);
  });

  it('never retries a write', async () => {
    nock(BASE).post('/api/resource/Customer').reply(503, { exc_type: 'SessionStopped' });
    const err = await failure(site().as(sales).insert('Customer', { customer_name: 'X' }));
    expect(err.kind).toBe('upstream');
    expect(err.status).toBe(503);
  });

  it('reports a refused connection and a timeout as upstream failures', async () => {
    const dead = new FrappeSite({
      baseUrl: 'http://127.0.0.1:9',
      timeoutMs: 500,
      retries: 0,
      logger: captureLogger().logger,
    });
    expect((await failure(dead.as(sales).call('ping'))).failure).toBe('refused');
    nock(BASE).get('/api/method/ping').delay(2000).reply(200, { message: 'pong' });
    expect((await failure(site(0).as(sales).call('ping'))).failure).toBe('timeout');
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  it('reports HTML where JSON was expected as an upstream failure', async () => {
    nock(BASE).get('/api/method/ping').reply(200, '<html>proxy login</html>', { 'Content-Type': 'text/html' });
    expect((await failure(site().as(sales).call('ping'))).failure).toBe('unreadable');
  });

  it('tells the credential hooks when Frappe rejects the credential', async () => {
    nock(BASE)
      .get('/api/method/frappe.auth.get_logged_user')
      .reply(403, { session_expired: 1, exc_type: 'PermissionError' });
    let rejected = 0;
    const err = await failure(
      site()
        .as(sales, { onRejected: () => rejected++ })
        .call('frappe.auth.get_logged_user'),
    );
    expect(err.sessionExpired).toBe(true);
    expect(rejected).toBe(1);
  });

  it('does not evict on an ordinary permission refusal', async () => {
    nock(BASE).get('/api/resource/Customer').reply(403, { exc_type: 'PermissionError' });
    let rejected = 0;
    await failure(
      site()
        .as(sales, { onRejected: () => rejected++ })
        .list('Customer', {}),
    );
    expect(rejected).toBe(0);
  });

  describe('CSRF for sid writes', () => {
    /** A site whose version is pinned (as FRAPPE_VERSION does), so only the calls under test reach nock. */
    const pinned = (version: '15' | '16' = '15'): FrappeSite => {
      const s = site();
      siteVersion(s, version);
      return s;
    };
    const csrfError = {
      exc_type: 'CSRFTokenError',
      _server_messages: JSON.stringify([JSON.stringify({ message: 'Invalid Request' })]),
    };

    it('uses the caller’s own token when sent, and does not fetch /app', async () => {
      nock(BASE)
        .post('/api/resource/ToDo')
        .matchHeader('x-frappe-csrf-token', 'caller-token-1')
        .reply(200, { data: { name: 't1' } });
      const c = pinned().as({ ...sales, csrfToken: 'caller-token-1' });
      expect(await c.insert('ToDo', { description: 'x' })).toEqual({ name: 't1' });
    });

    it('on CSRFTokenError reads the token from /app once, remembers it, and retries the write once', async () => {
      nock(BASE).post('/api/resource/ToDo').reply(400, csrfError);
      nock(BASE)
        .get('/app')
        .matchHeader('cookie', `sid=${sales.sid}`)
        .reply(200, '<script>frappe.csrf_token = "fresh-token-9";</script>', { 'Content-Type': 'text/html' });
      nock(BASE)
        .post('/api/resource/ToDo')
        .matchHeader('x-frappe-csrf-token', 'fresh-token-9')
        .reply(200, { data: { name: 't2' } });
      let remembered: string | undefined;
      const c = pinned().as(sales, { rememberCsrfToken: (t) => (remembered = t), csrfToken: () => remembered });
      expect(await c.insert('ToDo', { description: 'x' })).toEqual({ name: 't2' });
      expect(remembered).toBe('fresh-token-9');
      // The next write reuses the remembered token: no second /app.
      nock(BASE)
        .put('/api/resource/ToDo/t2')
        .matchHeader('x-frappe-csrf-token', 'fresh-token-9')
        .reply(200, { data: { name: 't2' } });
      await c.update('ToDo', 't2', { description: 'y' });
    });

    it('on Frappe 16 reads the token from /desk, never from /app (which only redirects there)', async () => {
      nock(BASE).post('/api/resource/ToDo').reply(400, csrfError);
      nock(BASE)
        .get('/desk')
        .matchHeader('cookie', `sid=${sales.sid}`)
        .reply(200, '<script>frappe.csrf_token = "desk-token-3";</script>', { 'Content-Type': 'text/html' });
      nock(BASE)
        .post('/api/resource/ToDo')
        .matchHeader('x-frappe-csrf-token', 'desk-token-3')
        .reply(200, { data: { name: 't3' } });
      expect(await pinned('16').as(sales).insert('ToDo', { description: 'x' })).toEqual({ name: 't3' });
      expect(nock.isDone()).toBe(true);
    });

    it('does not loop when /app gives no token', async () => {
      nock(BASE).post('/api/resource/ToDo').reply(400, csrfError);
      nock(BASE).get('/app').reply(301, '', { Location: '/login' });
      const err = await failure(pinned().as(sales).insert('ToDo', { description: 'x' }));
      expect(err.kind).toBe('csrf');
    });
  });
});
