import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { RedisConnection } from '../../src/redis/connection.js';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { tempDir } from '../helpers/temp.js';
import { tokenHeader } from '../helpers/stack.js';
import {
  manualCode,
  postForm,
  register,
  s256,
  startOAuthStack,
  whoamiWithToken,
  type ManualClient,
  type OAuthStack,
} from '../oauth/helpers.js';

// Every error the process did not handle while Redis came and went; must stay empty.
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});

const LIMIT = 5;
const env = (url: string) => ({
  REDIS_URL: url,
  OAUTH_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  RATE_LIMIT_PER_USER_PER_MINUTE: String(LIMIT),
});

const whoami = (s: OAuthStack, who: { key: string; secret: string }) =>
  fetch(`${s.url}/api/v1/whoami`, { headers: tokenHeader(who.key, who.secret) });

/** Sends LIMIT + 1 requests as `who`; the statuses in order. */
async function burst(s: OAuthStack, who: { key: string; secret: string }): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i <= LIMIT; i++) statuses.push((await whoami(s, who)).status);
  return statuses;
}
const withinBudget = [...Array<number>(LIMIT).fill(200), 429];

/** Polls (bounded) until a log line matches; the gateway reconnects on its own, no restart. */
async function logged(s: OAuthStack, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 200 && !s.logs.some((l) => pattern.test(l)); i++) await new Promise((r) => setTimeout(r, 50));
  expect(
    s.logs.some((l) => pattern.test(l)),
    `log line ${pattern}`,
  ).toBe(true);
}
const count = (s: OAuthStack, pattern: RegExp) => s.logs.filter((l) => pattern.test(l)).length;

/** Rate-limit keys in Redis: proof that counting happens there (shared by replicas), not in memory. */
async function rateLimitKeys(url: string): Promise<string[]> {
  const r = new Redis(url);
  try {
    return await r.keys('fmg:rl:user:*');
  } finally {
    r.disconnect();
  }
}

async function signInAndToken(s: OAuthStack): Promise<{ access: string; refresh: string; client: ManualClient }> {
  const reg = await register(s, { redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'none' });
  expect(reg.status).toBe(201);
  const client = { clientId: String(reg.body.client_id), redirect: 'http://127.0.0.1:9/cb' };
  const verifier = randomBytes(32).toString('base64url');
  const code = await manualCode(s, client, verifier);
  const t = await postForm(`${s.url}/token`, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    client_id: client.clientId,
    redirect_uri: client.redirect,
  });
  expect(t.status).toBe(200);
  return { access: String(t.body.access_token), refresh: String(t.body.refresh_token), client };
}

describe('Redis killed mid-run, then back', () => {
  let redis: RedisServer;
  let s: OAuthStack;
  beforeAll(async () => {
    // Append-only, so the OAuth state survives the crash as it would in production (compose runs it so).
    redis = await startRedis({ args: ['--appendonly', 'yes', '--save', '', '--dir', tempDir('fmg-redis-')] });
    s = await startOAuthStack(env(redis.url));
  });
  afterAll(async () => {
    await s.close();
    await redis.stop();
  });

  it('serves what needs no shared state, refuses the rest with 503 + Retry-After, and recovers on its own', async () => {
    const seen = await signInAndToken(s);
    expect((await whoamiWithToken(s, seen.access)).status).toBe(200);
    // A second token this replica has never resolved (as if minted by another replica).
    const fresh = await postForm(`${s.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: seen.refresh,
      client_id: seen.client.clientId,
    });
    expect(fresh.status).toBe(200);
    const unseen = String(fresh.body.access_token);
    expect(s.logs.some((l) => /does not persist/.test(l))).toBe(false);

    await redis.kill();

    // API keys: served, and the per-user limit holds at once, counted in this process.
    expect(await burst(s, DEMO_API_KEYS.limited)).toEqual(withinBudget);
    // A gateway token this replica resolved before keeps working until it expires.
    expect((await whoamiWithToken(s, seen.access)).status).toBe(200);
    // One it never saw needs Redis: 503 with Retry-After, never 400 -32600 or 500.
    const refused = await fetch(s.mcpUrl, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${unseen}`,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');

    // OAuth steps that need the store: 503 + Retry-After, with no client error text.
    const reg = await fetch(`${s.url}/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'none' }),
    });
    expect(reg.status).toBe(503);
    expect(reg.headers.get('retry-after')).toBe('5');
    expect(await reg.json()).toMatchObject({ error: 'temporarily_unavailable' });
    const token = await postForm(`${s.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: String(fresh.body.refresh_token),
      client_id: seen.client.clientId,
    });
    expect(token.status).toBe(503);
    const authorize = await fetch(
      `${s.url}/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: seen.client.clientId,
        redirect_uri: seen.client.redirect,
        code_challenge: s256('v'.repeat(43)),
        code_challenge_method: 'S256',
      }).toString()}`,
      { redirect: 'manual' },
    );
    expect(authorize.status).toBe(503);
    expect(authorize.headers.get('retry-after')).toBe('5');
    const page = await authorize.text();
    expect(page).toContain('try again');
    expect(page).not.toMatch(/ECONNREFUSED|writeable|Connection is closed|ioredis|Redis/i);

    await redis.restart();
    await logged(s, /Redis connection restored/);

    // Back to Redis: the limit counts there again (the script is reloaded), and sign-ins work.
    expect(await burst(s, DEMO_API_KEYS.admin)).toEqual(withinBudget);
    expect((await rateLimitKeys(redis.url)).length).toBeGreaterThan(0);
    expect((await whoamiWithToken(s, unseen)).status).toBe(200);
    expect((await register(s, { redirect_uris: ['http://127.0.0.1:9/cb'] })).status).toBe(201);

    expect(count(s, /Redis connection lost/)).toBe(1);
    expect(count(s, /Redis connection restored/)).toBe(1);
    expect(s.logs.filter((l) => /"level":50/.test(l))).toEqual([]);
    expect(unhandled).toEqual([]);
  });
});

describe('gateway started while Redis is down', () => {
  let redis: RedisServer;
  let s: OAuthStack;
  beforeAll(async () => {
    redis = await startRedis({ startStopped: true });
    s = await startOAuthStack(env(redis.url));
  });
  afterAll(async () => {
    await s.close();
    await redis.stop();
  });

  it('starts, limits per process meanwhile, and counts in Redis once it answers', async () => {
    expect(await burst(s, DEMO_API_KEYS.limited)).toEqual(withinBudget);
    expect((await register(s, { redirect_uris: ['http://127.0.0.1:9/cb'] })).status).toBe(503);
    expect(count(s, /Redis is not reachable/)).toBe(1);

    await redis.restart();
    await logged(s, /Redis connected/);
    // Before this fix the rate-limit script was never loaded, and limits stayed off until a restart.
    expect(await burst(s, DEMO_API_KEYS.admin)).toEqual(withinBudget);
    expect((await rateLimitKeys(redis.url)).length).toBeGreaterThan(0);
    expect((await register(s, { redirect_uris: ['http://127.0.0.1:9/cb'] })).status).toBe(201);
    // This scratch Redis neither appends nor snapshots: the operator is told once.
    await logged(s, /Redis does not persist/);
    expect(unhandled).toEqual([]);
  });
});

describe('persistence check', () => {
  it('says it could not check when CONFIG is disabled (managed Redis), rather than failing', async () => {
    const redis = await startRedis({ args: ['--save', '', '--appendonly', 'no', '--rename-command', 'CONFIG', '""'] });
    const lines: string[] = [];
    const logger = createLogger(
      { level: 'info', format: 'json' },
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          lines.push(chunk.toString('utf8'));
          cb();
        },
      }),
    );
    const conn = new RedisConnection({ url: redis.url, logger });
    try {
      for (let i = 0; i < 100 && !lines.some((l) => /could not check whether Redis persists/.test(l)); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(lines.some((l) => /could not check whether Redis persists/.test(l))).toBe(true);
      expect(lines.some((l) => /does not persist/.test(l))).toBe(false);
    } finally {
      await conn.close();
      await redis.stop();
    }
  });
});

describe('Redis that hangs (connections open, no answers)', () => {
  let redis: RedisServer;
  let s: OAuthStack;
  beforeAll(async () => {
    redis = await startRedis();
    s = await startOAuthStack(env(redis.url));
  });
  afterAll(async () => {
    redis.resume();
    await s.close();
    await redis.stop();
  });

  it('costs a bounded wait, keeps limits per process, refuses OAuth with 503, and recovers', async () => {
    expect((await register(s, { redirect_uris: ['http://127.0.0.1:9/cb'] })).status).toBe(201);
    redis.pause();
    // Each request is answered (the first after the command timeout, the rest at once while Redis
    // is left alone), and the per-user limit still holds.
    expect(await burst(s, DEMO_API_KEYS.limited)).toEqual(withinBudget);
    expect((await register(s, { redirect_uris: ['http://127.0.0.1:9/cb'] })).status).toBe(503);
    expect(count(s, /Redis connection lost/)).toBe(1);
    redis.resume();
    let status = 0;
    for (let i = 0; i < 100 && status !== 201; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await register(s, { redirect_uris: ['http://127.0.0.1:9/cb'] })).status;
    }
    expect(status).toBe(201);
    expect(await burst(s, DEMO_API_KEYS.admin)).toEqual(withinBudget);
    expect(unhandled).toEqual([]);
  });
});
