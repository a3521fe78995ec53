/**
 * What a host name in frappe.url costs the gateway per tool call. Frappe (gunicorn) closes the
 * connection after every answer, so every call connects anew, and with a host name Node asks the
 * system resolver (getaddrinfo, on libuv's thread pool) before each connection unless the gateway
 * reuses the answer (frappe.dns_cache_seconds, src/frappe/dns-cache.ts). Benchmarks elsewhere address
 * the stand-in by IP; a real site is usually addressed by name.
 *
 * For each way of addressing the Frappe-like stand-in (by IP; by the name localhost with the cache on,
 * as configured by default; by name with the cache off), a fresh gateway is warmed (2,000 calls at 10
 * clients, then 500 at 1) and takes --amount list_documents calls at 1 and at 10 clients; printed are
 * the gateway's CPU per call, the median latency and throughput. --rounds alternates the three.
 *   npx tsx scripts/bench/hostname.ts [--amount 3000] [--rounds 2]
 */
import { parseArgs } from 'node:util';
import { cpuSeconds, drive } from './load.js';
import { salesToolCall, startBenchProcesses } from './processes.js';

const { values } = parseArgs({
  options: { amount: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '2' } },
});
const amount = Number(values.amount);
const ways: Array<{ label: string; host: string | undefined; env: Record<string, string> }> = [
  { label: 'frappe.url by IP (127.0.0.1)', host: undefined, env: {} },
  { label: 'by name (localhost), cache on', host: 'localhost', env: {} },
  { label: 'by name (localhost), cache off', host: 'localhost', env: { FRAPPE_DNS_CACHE_SECONDS: '0' } },
];
let built = false;
console.log('way                               clients  gw CPU/call   p50       req/s');
for (let round = 0; round < Number(values.rounds); round++) {
  for (const way of ways) {
    const procs = await startBenchProcesses({ skipBuild: built, frappeHost: way.host, gatewayEnv: way.env });
    built = true;
    const target = await salesToolCall(procs);
    await drive(target, 10, 2000);
    await drive(target, 1, 500);
    for (const clients of [1, 10]) {
      const c0 = await cpuSeconds(procs.gateway.pid!);
      const r = await drive(target, clients, amount);
      const ms = (((await cpuSeconds(procs.gateway.pid!)) - c0) * 1000) / (amount + Math.min(200, amount));
      const errors = r.errors + r.non2xx ? `  (${r.errors + r.non2xx} errors)` : '';
      console.log(
        `${way.label.padEnd(34)} ${String(clients).padStart(2)}  ${ms.toFixed(2).padStart(8)} ms  ${r.p50.toFixed(2).padStart(6)} ms  ${r.rps.toFixed(0).padStart(6)}${errors}`,
      );
    }
    procs.stop();
    await new Promise((r) => setTimeout(r, 300));
  }
}
