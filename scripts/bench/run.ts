/**
 * The benchmark of record: gateway vs direct Frappe (the stand-in), taken in one run.
 *   npm run bench            (or: npx tsx scripts/bench/run.ts --amount 3000)
 * Reports, for 1 and 10 concurrent clients, a 20-row Customer list as an MCP tools/call through the
 * gateway (auth-cache hit) and as the same REST call made directly: latency and throughput ratios,
 * gateway CPU per call, Frappe validations per 1,000 requests, and gateway RSS before and after.
 */
import { parseArgs } from 'node:util';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { cpuSeconds, drive, MCP_HEADERS, rssMiB, toolCallBody } from './load.js';
import { ask, startBenchProcesses } from './processes.js';

const { values } = parseArgs({
  options: {
    amount: { type: 'string', default: '3000' },
    // Real Frappe answers this list in ~18 ms (transcripts README); the stand-in in ~0.4 ms. Rows are
    // taken at 0 ms (the gateway's own cost stands out) and at this delay (ratios comparable to peers.md §5).
    'frappe-delay-ms': { type: 'string', default: '15' },
    tool: { type: 'string', default: 'list_documents' },
    args: {
      type: 'string',
      default: '{"doctype":"Customer","fields":["name","customer_name"],"limit":20,"include_total":false}',
    },
  },
});
const amount = Number(values.amount);

const { standin, frappe, gateway, gw, stop } = await startBenchProcesses();

const login = await fetch(`${frappe}/api/method/login`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ usr: DEMO_USERS.sales.user, pwd: DEMO_USERS.sales.password }),
});
const sid = /sid=([^;]+)/.exec(login.headers.getSetCookie().join(';'))![1]!;
const { sales } = DEMO_API_KEYS;
const credentials: Record<string, Record<string, string>> = {
  sid: { Cookie: `sid=${sid}` },
  api_key: { Authorization: `token ${sales.key}:${sales.secret}` },
};
const args = JSON.parse(values.args) as { doctype: string; fields?: string[]; limit?: number };
const direct = `${frappe}/api/resource/${encodeURIComponent(args.doctype)}?fields=${encodeURIComponent(JSON.stringify(args.fields ?? ['name']))}&order_by=${encodeURIComponent('modified desc, name desc')}&limit_page_length=${args.limit ?? 20}`;

const pid = gateway.pid!;
const rss0 = await rssMiB(pid);
console.log(`gateway pid ${pid}, RSS at start ${rss0} MiB; ${amount} requests per row after a warm-up\n`);
console.log('credential  clients   direct p50   mcp p50   latency×  direct rps  mcp rps  throughput×  gw CPU/call');
for (const delay of [0, Number(values['frappe-delay-ms'])]) {
  await ask(standin, `delay:${delay}`);
  console.log(`-- Frappe answering with ${delay} ms added latency`);
  for (const [kind, headers] of Object.entries(credentials)) {
    for (const connections of [1, 10]) {
      const d = await drive({ url: direct, method: 'GET', headers }, connections, amount);
      const c0 = await cpuSeconds(pid);
      const m = await drive(
        {
          url: `${gw}/mcp`,
          method: 'POST',
          headers: { ...MCP_HEADERS, ...headers },
          body: toolCallBody(values.tool, args),
        },
        connections,
        amount,
      );
      const cpuMs = (((await cpuSeconds(pid)) - c0) * 1000) / (amount + Math.min(200, amount));
      if (m.errors || m.non2xx || d.errors || d.non2xx)
        console.log(`  (errors: mcp ${m.errors + m.non2xx}, direct ${d.errors + d.non2xx})`);
      console.log(
        `${kind.padEnd(10)}  ${String(connections).padStart(7)}  ${d.p50.toFixed(2).padStart(8)} ms ${m.p50.toFixed(2).padStart(6)} ms  ${(m.p50 / d.p50).toFixed(2).padStart(8)}  ${d.rps.toFixed(0).padStart(10)}  ${m.rps.toFixed(0).padStart(7)}  ${(m.rps / d.rps).toFixed(2).padStart(11)}  ${cpuMs.toFixed(2).padStart(8)} ms`,
      );
    }
  }
}
await ask(standin, 'delay:0');

await ask(standin, 'reset');
const fresh = await fetch(`${frappe}/api/method/login`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ usr: DEMO_USERS.sales.user, pwd: DEMO_USERS.sales.password }),
});
const sid2 = /sid=([^;]+)/.exec(fresh.headers.getSetCookie().join(';'))![1]!;
await ask(standin, 'reset');
await drive({ url: `${gw}/api/v1/whoami`, method: 'GET', headers: { Cookie: `sid=${sid2}` } }, 50, 1000);
const { validations } = await ask<{ validations: number }>(standin, 'count');
console.log(`\nFrappe validations for 1,200 requests (50 concurrent) with one new sid: ${validations}`);
console.log(`gateway RSS: ${rss0} MiB at start, ${await rssMiB(pid)} MiB after the run`);

stop();
