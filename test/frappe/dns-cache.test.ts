import dns, { type LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrappeSite } from '../../src/frappe/client.js';
import { cachedLookup, type Lookup } from '../../src/frappe/dns-cache.js';
import { captureLogger } from '../helpers/logger.js';

afterEach(() => {
  vi.restoreAllMocks();
});

type LookupCallback = (err: NodeJS.ErrnoException | null, a: string | LookupAddress[], f?: number) => void;
type Answer = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

/** Looks up through `lookup` and resolves with what it answered. */
function ask(lookup: Lookup, hostname: string, all = false): Promise<Answer> {
  return new Promise((resolve) =>
    lookup(hostname, { all }, (err, address, family) => resolve({ err, address, family })),
  );
}

/**
 * The system resolver, replaced for the test's made-up names (others, such as the server's own listen
 * address, still resolve for real): answers `address`, or fails while `failing` is set. Counts only them.
 */
function fakeResolver(address = '10.0.0.7') {
  const state = { failing: false, address };
  const real = dns.lookup.bind(dns) as (...args: unknown[]) => void;
  const spy = vi.spyOn(dns, 'lookup').mockImplementation((...args: unknown[]) => {
    const [hostname, options, callback] = args as [string, dns.LookupOptions, LookupCallback];
    if (!/^localhost$|\.example\.com$/.test(hostname)) return real(...args);
    if (state.failing) {
      const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return void setImmediate(() => callback(err, ''));
    }
    if (options.all) setImmediate(() => callback(null, [{ address: state.address, family: 4 }]));
    else setImmediate(() => callback(null, state.address, 4));
  });
  const made = () => spy.mock.calls.filter(([h]) => /^localhost$|\.example\.com$/.test(String(h)));
  return { made, state };
}

describe('cachedLookup', () => {
  it('asks the system resolver once per name within the TTL and answers the same', async () => {
    const { made } = fakeResolver();
    const { lookup } = cachedLookup(10_000);
    const first = await ask(lookup, 'erp.example.com');
    const second = await ask(lookup, 'erp.example.com');
    expect(first).toEqual({ err: null, address: '10.0.0.7', family: 4 });
    expect(second).toEqual(first);
    expect(made()).toHaveLength(1);
  });

  it('keeps the all-addresses answer (what net asks for with autoSelectFamily) apart from the single one', async () => {
    const { made } = fakeResolver();
    const { lookup } = cachedLookup(10_000);
    expect((await ask(lookup, 'erp.example.com', true)).address).toEqual([{ address: '10.0.0.7', family: 4 }]);
    expect((await ask(lookup, 'erp.example.com')).address).toBe('10.0.0.7');
    expect((await ask(lookup, 'erp.example.com', true)).address).toEqual([{ address: '10.0.0.7', family: 4 }]);
    expect(made()).toHaveLength(2);
  });

  it('asks again once the TTL has passed, and gets the new address', async () => {
    const { made, state } = fakeResolver();
    let clock = 1_000;
    const { lookup } = cachedLookup(10_000, () => clock);
    await ask(lookup, 'erp.example.com');
    state.address = '10.0.0.8';
    clock += 9_999;
    expect((await ask(lookup, 'erp.example.com')).address).toBe('10.0.0.7');
    clock += 1;
    expect((await ask(lookup, 'erp.example.com')).address).toBe('10.0.0.8');
    expect(made()).toHaveLength(2);
  });

  it('never keeps a failure: the next lookup asks again and recovers', async () => {
    const { made, state } = fakeResolver();
    const { lookup } = cachedLookup(10_000);
    state.failing = true;
    expect((await ask(lookup, 'erp.example.com')).err?.code).toBe('ENOTFOUND');
    state.failing = false;
    expect((await ask(lookup, 'erp.example.com')).address).toBe('10.0.0.7');
    expect(made()).toHaveLength(2);
  });

  it('asks again after clear()', async () => {
    const { made } = fakeResolver();
    const cache = cachedLookup(10_000);
    await ask(cache.lookup, 'erp.example.com');
    cache.clear();
    await ask(cache.lookup, 'erp.example.com');
    expect(made()).toHaveLength(2);
  });

  it('holds a bounded number of answers however many names it sees', async () => {
    const { made } = fakeResolver();
    const { lookup } = cachedLookup(10_000);
    for (let i = 0; i < 100; i++) await ask(lookup, `host-${i}.example.com`);
    // Past the bound the cache starts over, so the first name is looked up again; the last one is kept.
    await ask(lookup, 'host-0.example.com');
    await ask(lookup, 'host-99.example.com');
    expect(made()).toHaveLength(101);
  });
});

describe('FrappeSite with a host name', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
  });

  /** A Frappe-like server on 127.0.0.1: it closes the connection after every answer, as gunicorn does. */
  async function closingServer(): Promise<number> {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end('{"message":"pong"}');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }

  function siteAt(port: number, dnsCacheMs: number): FrappeSite {
    return new FrappeSite({
      // localhost: the only name the tests' nock setup lets through; the fake resolver answers it.
      baseUrl: `http://localhost:${port}`,
      timeoutMs: 2_000,
      retries: 0,
      logger: captureLogger().logger,
      dnsCacheMs,
    });
  }

  const ping = (site: FrappeSite) => site.as({ kind: 'api_key', key: 'k', secret: 's' }).call<string>('ping');

  it('looks the name up once for many calls, each on a new connection', async () => {
    const port = await closingServer();
    const { made } = fakeResolver('127.0.0.1');
    const site = siteAt(port, 10_000);
    for (let i = 0; i < 5; i++) expect(await ping(site)).toBe('pong');
    expect(made()).toHaveLength(1);
    expect(made()[0]![0]).toBe('localhost');
  });

  it('looks the name up for every connection when the cache is off', async () => {
    const port = await closingServer();
    const { made } = fakeResolver('127.0.0.1');
    const site = siteAt(port, 0);
    for (let i = 0; i < 5; i++) await ping(site);
    expect(made()).toHaveLength(5);
  });

  it('looks the name up again after a connection fails, and reaches the site at its new address', async () => {
    const port = await closingServer();
    // The site "moved": the cached address refuses connections, the resolver now knows the right one.
    const { made, state } = fakeResolver('127.0.0.2');
    const site = siteAt(port, 10_000);
    await expect(ping(site)).rejects.toMatchObject({ kind: 'upstream' });
    state.address = '127.0.0.1';
    expect(await ping(site)).toBe('pong');
    expect(made()).toHaveLength(2);
  });
});
