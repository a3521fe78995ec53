/**
 * The embedded OAuth store with many registered clients (a benchmark, not a test):
 *   npx tsx scripts/bench/oauth-store.ts [--clients 100000] [--largest]
 * Registers the clients through the facade (as /register does: two redirect URIs as desktop clients
 * send, or with --largest ten of 1,000 characters, the most a registration may hold), then times the
 * reads and writes a sign-in makes while the store holds them, a restart (open), and the sweep once
 * the clients have expired unused.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../../src/log/logger.js';
import { Sealer } from '../../src/oauth/crypto.js';
import { Facade } from '../../src/oauth/facade.js';
import { SqliteKvStore } from '../../src/oauth/sqlite-kv.js';
import type { FrappeUpstream } from '../../src/oauth/upstream.js';

const { values } = parseArgs({
  options: { clients: { type: 'string', default: '100000' }, largest: { type: 'boolean', default: false } },
});
const clients = Number(values.clients);
const dir = mkdtempSync(join(tmpdir(), 'fmg-bench-store-'));
const file = join(dir, 'oauth.sqlite');
let now = Date.now();
const kv = new SqliteKvStore(file, { now: () => now, maintainEveryMs: 0 });
const facade = new Facade({
  kv,
  sealer: new Sealer(() => Buffer.alloc(32, 1)),
  // Registration never reaches Frappe.
  upstream: { configured: true } as unknown as FrappeUpstream,
  logger: createLogger({ level: 'silent', format: 'json' }),
  now: () => now,
  issuer: 'https://mcp.example.com',
  resource: 'https://mcp.example.com/mcp',
  accessTtlSeconds: 900,
  refreshTtlDays: 30,
  codeTtlSeconds: 60,
  clientTtlDays: 30,
  unusedClientTtlSeconds: 86_400,
  pendingPerIp: 30,
  approvalTtlDays: 90,
  extraRedirects: [],
});

function percentiles(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${(at(0.5) * 1000).toFixed(1)} µs, p99 ${(at(0.99) * 1000).toFixed(1)} µs, max ${(at(1) * 1000).toFixed(1)} µs`;
}

const uris = values.largest
  ? Array.from({ length: 10 }, (_, i) => `https://client.example.com/cb${i}/${'x'.repeat(970)}`)
  : ['http://127.0.0.1/callback', 'https://client.example.com/oauth/callback'];
const ids: string[] = [];
const regTimes: number[] = [];
let t0 = performance.now();
for (let i = 0; i < clients; i++) {
  const a = performance.now();
  const c = await facade.register({ client_name: `Client ${i}`, redirect_uris: uris });
  regTimes.push(performance.now() - a);
  ids.push(c.client_id as string);
  // The store's timer checkpoints every 10 s; here every 2,000 registrations stands in for it.
  if (i % 2_000 === 1_999) await kv.maintain();
}
await kv.maintain();
const regSeconds = (performance.now() - t0) / 1000;
console.log(`registered ${clients} clients in ${regSeconds.toFixed(1)} s (${percentiles(regTimes)} per registration)`);
console.log(
  `database: ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB (+ WAL ${(statSync(`${file}-wal`).size / 2 ** 20).toFixed(0)} MiB)`,
);

// What one sign-in and its token calls do to the store, measured while it holds every client.
const ops = { 'get client': [] as number[], 'set grant': [] as number[], 'take code': [] as number[] };
for (let i = 0; i < 5_000; i++) {
  const id = ids[Math.floor(Math.random() * ids.length)]!;
  let a = performance.now();
  await facade.client(id);
  ops['get client'].push(performance.now() - a);
  a = performance.now();
  await kv.set(`grant:bench${i}`, { id: `bench${i}`, user: 'u@example.com', frappe: 'x'.repeat(300) }, 2_592_000);
  ops['set grant'].push(performance.now() - a);
  await kv.set(`code:bench${i}`, { grantId: `bench${i}` }, 60);
  a = performance.now();
  await kv.take(`code:bench${i}`);
  ops['take code'].push(performance.now() - a);
  if (i % 1_000 === 999) await kv.maintain();
}
for (const [name, samples] of Object.entries(ops)) console.log(`${name.padEnd(11)} ${percentiles(samples)}`);

await kv.close();
t0 = performance.now();
const reopened = new SqliteKvStore(file, { now: () => now, maintainEveryMs: 0 });
await reopened.get(ids[0]!);
console.log(`restart (open + first read): ${(performance.now() - t0).toFixed(1)} ms`);

// A day later nobody signed in with them: the sweep removes them in batches.
now += 25 * 3_600_000;
t0 = performance.now();
const removed = await reopened.maintain();
console.log(`sweep after a day: ${removed} rows in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
await reopened.close();
rmSync(dir, { recursive: true, force: true });
