import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrappeSite } from '../../src/frappe/client.js';
import { Readiness } from '../../src/health/readiness.js';
import { createLogger } from '../../src/log/logger.js';
import { startStandin, type Standin } from '../../src/standin/index.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { startStack, type Stack } from '../helpers/stack.js';

const silent = createLogger({ level: 'silent', format: 'json' });

describe('Readiness', () => {
  let standin: Standin;
  beforeAll(async () => {
    standin = await startStandin();
  });
  afterAll(() => standin.close());

  it('asks Frappe once per interval however many probes arrive at once', async () => {
    const site = new FrappeSite({ baseUrl: standin.url, timeoutMs: 2000, retries: 0, logger: silent });
    let now = 1_000_000;
    const readiness = new Readiness({ site, cacheMs: 5000, now: () => now, frappeVersion: () => '15.75.0' });
    standin.resetRequests();
    const pings = () => standin.requests.filter((r) => r.path === '/api/method/ping').length;
    const reports = await Promise.all(Array.from({ length: 20 }, () => readiness.check()));
    expect(reports.every((r) => r.ready && r.frappe.ok)).toBe(true);
    expect(reports[0]!.frappe.version).toBe('15.75.0');
    expect(pings()).toBe(1);
    now += 4000;
    await readiness.check();
    expect(pings()).toBe(1);
    now += 2000;
    standin.setFault('down', { paths: /ping/ });
    const down = await readiness.check();
    expect(pings()).toBe(2);
    expect(down.ready).toBe(false);
    expect(down.frappe).toMatchObject({ ok: false, error: expect.stringMatching(/Frappe/) as unknown });
    standin.setFault(null);
  });
});

describe('GET /readyz', () => {
  let redis: RedisServer;
  let stack: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({
      REDIS_URL: redis.url,
      OAUTH_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      READY_CACHE_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await stack.close();
    await redis.stop();
  });

  const ready = async () => {
    const res = await fetch(`${stack.url}/readyz`);
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as Record<string, unknown>,
    };
  };
  /** Polls past the 1 s cache until the answer has the wanted status (bounded). */
  const until = async (status: number) => {
    let r = await ready();
    for (let i = 0; i < 60 && r.status !== status; i++) {
      await new Promise((res) => setTimeout(res, 100));
      r = await ready();
    }
    return r;
  };

  it('is 200 when Frappe and Redis answer, 503 naming Redis while it is down, and 200 again after', async () => {
    const up = await until(200);
    expect(up.body).toMatchObject({ status: 'ready', ready: true, frappe: { ok: true }, redis: { ok: true } });
    // The site's version (at least its major, as learned from its answers) once the gateway knows it.
    let version = (up.body.frappe as { version?: unknown }).version;
    for (let i = 0; i < 40 && typeof version !== 'string'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      version = ((await ready()).body.frappe as { version?: unknown }).version;
    }
    expect(version).toMatch(/^1[56]\b/);

    await redis.kill();
    const down = await until(503);
    expect(down.status).toBe(503);
    expect(down.retryAfter).toBe('5');
    expect(down.body).toMatchObject({
      status: 'unavailable',
      down: ['redis'],
      frappe: { ok: true },
      redis: { ok: false },
    });
    // Liveness does not depend on Redis: an orchestrator must not restart the gateway for it.
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);

    await redis.restart();
    expect((await until(200)).status).toBe(200);
  });

  it('is 503 naming Frappe when Frappe does not answer', async () => {
    stack.standin.setFault('down', { paths: /ping/ });
    try {
      const r = await until(503);
      expect(r.body).toMatchObject({ down: ['frappe'], frappe: { ok: false } });
    } finally {
      stack.standin.setFault(null);
    }
    expect((await until(200)).status).toBe(200);
  });
});
