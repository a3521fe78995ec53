import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryIdentityCache } from '../../src/auth/cache.js';
import { AuthChain } from '../../src/auth/chain.js';
import { AuthError } from '../../src/auth/errors.js';
import { FrappeSite } from '../../src/frappe/client.js';
import { captureLogger } from '../helpers/logger.js';

const BASE = 'http://frappe.test';
const WHO = '/api/method/frappe.auth.get_logged_user';
const SID = 'a1b2c3d4e5f60718293a4b5c';
const TOKEN = 'tok1234567890abcdef';

let now = 1_000_000;
let cache: MemoryIdentityCache;
let lines: string[];

function chain(extra: Partial<ConstructorParameters<typeof AuthChain>[0]> = {}): AuthChain {
  const log = captureLogger();
  lines = log.lines;
  cache = new MemoryIdentityCache(100);
  return new AuthChain({
    site: new FrappeSite({ baseUrl: BASE, timeoutMs: 500, retries: 0, logger: log.logger }),
    cache,
    logger: log.logger,
    order: ['sid', 'bearer', 'api_key'],
    ttlSeconds: { sid: 60, bearer: 300, api_key: 300 },
    rejectionTtlSeconds: 5,
    now: () => now,
    ...extra,
  });
}

async function refusal(p: Promise<unknown>): Promise<AuthError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AuthError) return err;
    throw err;
  }
  throw new Error('expected an AuthError');
}

beforeEach(() => {
  now = 1_000_000;
});
afterEach(() => {
  cache.close();
  nock.cleanAll();
});

describe('AuthChain', () => {
  it('confirms a sid with one Frappe call and takes the full name from Frappe’s cookie', async () => {
    const c = chain();
    nock(BASE, { badheaders: ['authorization'] })
      .get(WHO)
      .matchHeader('cookie', `sid=${SID}`)
      .reply(
        200,
        { message: 'sales@example.com' },
        { 'Set-Cookie': ['sid=' + SID + '; Path=/', 'full_name=Sales%20User; Path=/'] },
      );
    const auth = await c.authenticate({ cookie: `sid=${SID}` });
    expect(auth.principal).toMatchObject({
      user: 'sales@example.com',
      fullName: 'Sales User',
      kind: 'sid',
      site: BASE,
    });
    expect(auth.credential).toEqual({ kind: 'sid', sid: SID });
  });

  it('answers a second request from the cache, and asks again after the TTL', async () => {
    const c = chain();
    const scope = nock(BASE).get(WHO).times(2).reply(200, { message: 'Administrator' });
    await c.authenticate({ authorization: 'token key1:secret1' });
    await c.authenticate({ authorization: 'token key1:secret1' });
    expect(scope.pendingMocks()).toHaveLength(1);
    now += 301_000;
    await c.authenticate({ authorization: 'token key1:secret1' });
    expect(scope.isDone()).toBe(true);
  });

  it('coalesces 100 concurrent first requests for one credential into one Frappe call', async () => {
    const c = chain();
    const scope = nock(BASE).get(WHO).delay(50).reply(200, { message: 'sales@example.com' });
    const results = await Promise.all(
      Array.from({ length: 100 }, () => c.authenticate({ authorization: `Bearer ${TOKEN}` })),
    );
    expect(new Set(results.map((r) => r.principal.user))).toEqual(new Set(['sales@example.com']));
    expect(scope.isDone()).toBe(true);
  });

  it('accepts Basic base64(key:secret) as the same API key', async () => {
    const c = chain();
    nock(BASE).get(WHO).matchHeader('authorization', 'token k1:s1').reply(200, { message: 'Administrator' });
    const auth = await c.authenticate({ authorization: `Basic ${Buffer.from('k1:s1').toString('base64')}` });
    expect(auth.credential).toEqual({ kind: 'api_key', key: 'k1', secret: 's1' });
  });

  it('answers 401 without asking Frappe when nothing was presented', async () => {
    const err = await refusal(chain().authenticate({}));
    expect(err).toMatchObject({ status: 401, code: 'no_credentials', tokenPresented: false });
  });

  it('names an unsupported Authorization scheme', async () => {
    const err = await refusal(chain().authenticate({ authorization: 'Digest abc' }));
    expect(err.message).toMatch(/scheme is not supported/);
  });

  it('refuses malformed credentials without asking Frappe', async () => {
    const c = chain();
    expect((await refusal(c.authenticate({ authorization: 'Basic !!!' }))).code).toBe('invalid_credentials');
    expect((await refusal(c.authenticate({ cookie: 'sid=abc;def' }))).status).toBe(401);
    expect((await refusal(c.authenticate({ authorization: 'token onlykey' }))).tokenPresented).toBe(true);
  });

  it('turns Frappe’s 403 for a dead sid into 401, and remembers the rejection briefly', async () => {
    const c = chain();
    const scope = nock(BASE).get(WHO).times(2).reply(403, { session_expired: 1, exc_type: 'PermissionError' });
    const err = await refusal(c.authenticate({ cookie: `sid=${SID}` }));
    expect(err).toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(err.message).toMatch(/expired/);
    await refusal(c.authenticate({ cookie: `sid=${SID}` }));
    expect(scope.pendingMocks()).toHaveLength(1);
    now += 6_000;
    await refusal(c.authenticate({ cookie: `sid=${SID}` }));
    expect(scope.isDone()).toBe(true);
  });

  it('follows the chain: a bad sid with a good token runs as the token’s user', async () => {
    const c = chain();
    nock(BASE).get(WHO).matchHeader('cookie', `sid=${SID}`).reply(403, { exc_type: 'PermissionError' });
    nock(BASE, { badheaders: ['cookie'] })
      .get(WHO)
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(200, { message: 'sales@example.com' });
    const auth = await c.authenticate({ cookie: `sid=${SID}`, authorization: `Bearer ${TOKEN}` });
    expect(auth.principal).toMatchObject({ user: 'sales@example.com', kind: 'bearer' });
    expect(auth.credential).toEqual({ kind: 'bearer', token: TOKEN });
  });

  it('follows the chain: a good sid wins over a bad token, and only the sid is forwarded', async () => {
    const c = chain();
    nock(BASE, { badheaders: ['authorization'] })
      .get(WHO)
      .reply(200, { message: 'Administrator' });
    const auth = await c.authenticate({ cookie: `sid=${SID}`, authorization: 'Bearer wrongtoken123' });
    expect(auth.principal.user).toBe('Administrator');
    expect(auth.credential.kind).toBe('sid');
  });

  it('answers 503 when Frappe is down while verifying, caches nothing, and recovers', async () => {
    const c = chain();
    nock(BASE).get(WHO).reply(502, '<html>Bad Gateway</html>', { 'Content-Type': 'text/html' });
    const err = await refusal(c.authenticate({ authorization: 'token key1:secret1' }));
    expect(err).toMatchObject({ status: 503, code: 'frappe_unavailable' });
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
    expect(cache.size()).toBe(0);
    nock(BASE).get(WHO).reply(200, { message: 'Administrator' });
    expect((await c.authenticate({ authorization: 'token key1:secret1' })).principal.user).toBe('Administrator');
  });

  it('never falls back to another presented credential when Frappe is down', async () => {
    const c = chain();
    nock(BASE).get(WHO).matchHeader('cookie', `sid=${SID}`).replyWithError({ code: 'ECONNREFUSED' });
    const err = await refusal(c.authenticate({ cookie: `sid=${SID}`, authorization: 'token key1:secret1' }));
    expect(err.status).toBe(503);
    expect(nock.pendingMocks()).toHaveLength(0);
  });

  it('evicts the cached identity when a later Frappe call with the credential gets 401', async () => {
    const c = chain();
    nock(BASE).get(WHO).reply(200, { message: 'Administrator' });
    const auth = await c.authenticate({ authorization: `Bearer ${TOKEN}` });
    expect(cache.size()).toBe(1);
    nock(BASE).get('/api/resource/Customer').reply(401, { exc_type: 'AuthenticationError' });
    await expect(auth.frappe.list('Customer', {})).rejects.toMatchObject({ kind: 'auth' });
    expect(cache.size()).toBe(0);
  });

  it('uses the service account only when no credential at all was presented, and says so in the logs', async () => {
    const c = chain({ serviceAccount: { key: 'svc', secret: 'svcsecret' } });
    nock(BASE).get(WHO).matchHeader('authorization', 'token svc:svcsecret').reply(200, { message: 'svc@example.com' });
    const auth = await c.authenticate({});
    expect(auth.principal).toMatchObject({ user: 'svc@example.com', serviceAccount: true });
    expect(lines.some((l) => l.includes('service account'))).toBe(true);
    // A presented but rejected credential is never replaced by the service account.
    nock(BASE).get(WHO).reply(401, { exc_type: 'AuthenticationError' });
    expect((await refusal(c.authenticate({ authorization: 'token bad:bad' }))).status).toBe(401);
  });

  it('refuses a cookie from a foreign Origin before asking Frappe', async () => {
    const c = chain({ cookieAllowed: (h) => h.origin === undefined || h.origin === 'https://erp.example.com' });
    const err = await refusal(c.authenticate({ cookie: `sid=${SID}`, origin: 'https://evil.example' }));
    expect(err).toMatchObject({ status: 403, code: 'origin_not_allowed' });
  });

  it('keys the cache by a hash, never by the raw secret, and logs no secret', async () => {
    const c = chain();
    nock(BASE).get(WHO).reply(200, { message: 'Administrator' });
    const auth = await c.authenticate({ authorization: 'token key1:topsecret99' });
    const key = c.keyOf(auth.credential);
    expect(key).not.toContain('topsecret99');
    expect(key).toMatch(/^http:\/\/frappe\.test\|api_key\|[0-9a-f]{64}$/);
    expect(lines.join('\n')).not.toContain('topsecret99');
  });
});
