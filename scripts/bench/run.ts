/**
 * The benchmark of record: gateway vs direct Frappe, taken in one run on the same cores.
 *   npm run bench            (or: npx tsx scripts/bench/run.ts --amount 3000 --models frappe-like,sleep)
 * For each load model (see standin-server.ts) and credential, at 1 and 10 concurrent clients: a 20-row
 * Customer list as an MCP tools/call through the gateway (identity cached, default tool arguments)
 * and as the same REST call made directly with the same credential. Reports latency and throughput
 * ratios, gateway and Frappe CPU per call, Frappe calls per tool call, identity checks for a new sid,
 * and gateway RSS. Each row also drives a bare Node relay (floor-proxy.ts; --no-floor skips it): the
 * least any Node gateway pays per call on this machine, so the gateway's own share can be read off.
 * Before the first row the gateway and the floor are warmed (--warm-up calls per credential), as a long-running
 * gateway is. Take ratios within one run: the machine's other load moves absolute numbers.
 * GATEWAY_NODE_FLAGS passes V8 flags to the gateway (to compare them).
 */
import { parseArgs } from 'node:util';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { cpuSeconds, drive, MCP_HEADERS, rssMiB, toolCallBody } from './load.js';
import {
  ask,
  benchSid,
  gatewayFlags,
  LIST_ARGS,
  startBenchProcesses,
  startFloor,
  type LoadModel,
} from './processes.js';

const { values } = parseArgs({
  options: {
    amount: { type: 'string', default: '3000' },
    models: { type: 'string', default: 'frappe-like,sleep' },
    // The sleep model's added latency: a real list answers in ~5–18 ms; sleeping costs no CPU.
    'frappe-delay-ms': { type: 'string', default: '15' },
    tool: { type: 'string', default: 'list_documents' },
    args: { type: 'string', default: LIST_ARGS },
    clients: { type: 'string', default: '1,10' },
    // Calls per credential that warm the gateway and the floor before the first row: V8 optimises the
    // hot path over the first thousand or so calls, once per process. Without it the first row carried
    // that compilation (1.2–1.6 ms/call where later rows read ~1.0).
    'warm-up': { type: 'string', default: '1000' },
    credentials: { type: 'string', default: 'sid,api_key' },
    // Skips the bare Node relay (floor-proxy.ts) driven beside the gateway. Spelled out: Node 20's
    // parseArgs has no negated booleans.
    'no-floor': { type: 'boolean', default: false },
  },
});
const amount = Number(values.amount);
const args = JSON.parse(values.args) as { doctype: string; fields?: string[]; limit?: number };
const { sales } = DEMO_API_KEYS;
/** A latency difference with its sign: +0.4, -0.3. */
const signed = (ms: number): string => `${ms >= 0 ? '+' : ''}${ms.toFixed(1)}`;
const cpuOf = async (pids: number[]) => (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0);

let built = false;
for (const model of values.models.split(',') as LoadModel[]) {
  const procs = await startBenchProcesses({
    model,
    skipBuild: built,
  });
  built = true;
  const { standin, frappe, frappePids, gateway, gw } = procs;
  if (model === 'sleep') await ask(standin, `delay:${values['frappe-delay-ms']}`);
  const sid = await benchSid(standin, DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  const credentials: Record<string, Record<string, string>> = {
    sid: { Cookie: `sid=${sid}` },
    api_key: { Authorization: `token ${sales.key}:${sales.secret}` },
  };
  const direct = `${frappe}/api/resource/${encodeURIComponent(args.doctype)}?fields=${encodeURIComponent(JSON.stringify(args.fields ?? ['name']))}&order_by=${encodeURIComponent('modified desc, name desc')}&limit_page_length=${args.limit ?? 20}`;
  const pid = gateway.pid!;
  const floor = values['no-floor'] ? undefined : await startFloor(frappe);
  const rss0 = await rssMiB(pid);
  const about =
    model === 'sleep'
      ? `one keep-alive process sleeping ${values['frappe-delay-ms']} ms per request`
      : `${frappePids.length} one-at-a-time workers, CPU ${process.env.FRAPPE_CPU_MS ?? 5} ms + DB wait ${process.env.FRAPPE_DB_MS ?? 0.5} ms per request, Connection: close`;
  console.log(`\n== model ${model}: ${about}`);
  console.log(`gateway V8 flags: ${gatewayFlags().join(' ') || '(none)'}`);
  console.log(
    `gateway pid ${pid}, RSS ${rss0} MiB at start; gateway and floor warmed with ${values['warm-up']} calls per credential, then ${amount} requests per row after 200 warm-up; ${values.tool} ${values.args}`,
  );
  console.log(
    'credential clients  direct p50   mcp p50  (+ms)   direct rps  mcp rps  thru×  gw CPU/call  Frappe CPU/call direct→mcp  Frappe calls/tool call',
  );
  const warmUp = Number(values['warm-up']);
  for (const kind of values.credentials.split(',')) {
    for (const url of [`${gw}/mcp`, ...(floor ? [floor.url] : [])]) {
      const body = toolCallBody(values.tool, args);
      await drive({ url, method: 'POST', headers: { ...MCP_HEADERS, ...credentials[kind] }, body }, 10, warmUp);
    }
  }
  for (const kind of values.credentials.split(',')) {
    const headers = credentials[kind]!;
    for (const connections of values.clients.split(',').map(Number)) {
      const f0 = await cpuOf(frappePids);
      const d = await drive({ url: direct, method: 'GET', headers }, connections, amount);
      const f1 = await cpuOf(frappePids);
      await ask(standin, 'reset');
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
      const calls = amount + Math.min(200, amount);
      const cpuMs = (((await cpuSeconds(pid)) - c0) * 1000) / calls;
      const f2 = await cpuOf(frappePids);
      const { requests } = await ask<{ requests: number }>(standin, 'count');
      if (m.errors || m.non2xx || d.errors || d.non2xx)
        console.log(`  (errors: mcp ${m.errors + m.non2xx}, direct ${d.errors + d.non2xx})`);
      const fd = ((f1 - f0) * 1000) / calls;
      const fm = ((f2 - f1) * 1000) / calls;
      let floorRow = '';
      if (floor) {
        const fc0 = await cpuSeconds(floor.pid);
        const fl = await drive(
          {
            url: floor.url,
            method: 'POST',
            headers: { ...MCP_HEADERS, ...headers },
            body: toolCallBody(values.tool, args),
          },
          connections,
          amount,
        );
        const fcpu = (((await cpuSeconds(floor.pid)) - fc0) * 1000) / calls;
        floorRow = `   | node floor: p50 ${fl.p50.toFixed(2)} ms (${signed(fl.p50 - d.p50)}), ${(fl.rps / d.rps).toFixed(2)}×, CPU ${fcpu.toFixed(2)} ms/call`;
      }
      console.log(
        `${kind.padEnd(10)} ${String(connections).padStart(7)}  ${d.p50.toFixed(2).padStart(8)} ms ${m.p50.toFixed(2).padStart(6)} ms ${`(${signed(m.p50 - d.p50)})`.padStart(7)}  ${d.rps.toFixed(0).padStart(10)}  ${m.rps.toFixed(0).padStart(7)}  ${(m.rps / d.rps).toFixed(2).padStart(5)}  ${cpuMs.toFixed(2).padStart(8)} ms  ${fd.toFixed(2).padStart(12)} → ${fm.toFixed(2)} ms  ${(requests / calls).toFixed(2).padStart(10)}${floorRow}`,
      );
    }
  }
  // A new sid, 1,200 whoami requests (50 concurrent): identity checks and profile calls made of Frappe.
  const sid2 = await benchSid(standin, DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  await ask(standin, 'reset');
  await drive({ url: `${gw}/api/v1/whoami`, method: 'GET', headers: { Cookie: `sid=${sid2}` } }, 50, 1000);
  const count = await ask<{ validations: number; requests: number }>(standin, 'count');
  console.log(
    `whoami ×1,200 (50 concurrent) with one new sid: ${count.validations} identity checks, ${count.requests} Frappe calls in all`,
  );
  console.log(`gateway RSS: ${rss0} MiB at start, ${await rssMiB(pid)} MiB after the run`);
  floor?.stop();
  procs.stop();
  await new Promise((r) => setTimeout(r, 300));
}
