/**
 * The benchmark of record: gateway vs direct Frappe, taken in one run on the same cores.
 *   npm run bench            (or: npx tsx scripts/bench/run.ts --amount 3000 --models frappe-like,sleep)
 * For each load model (see standin-server.ts) and credential, at 1 and 10 concurrent clients: a 20-row
 * Customer list as an MCP tools/call through the gateway (identity cached, default tool arguments)
 * and as the same REST call made directly with the same credential. Reports latency and throughput
 * ratios, gateway and Frappe CPU per call, Frappe calls per tool call, identity checks for a new sid,
 * and gateway RSS. Each row also drives a bare Node relay (floor-proxy.ts; --no-floor skips it): the
 * least any Node gateway pays per call on this machine, so the gateway's own share can be read off.
 * Before the first row the gateway and the floor are warmed (--warm-up calls per credential at each client
 * count), as a long-running gateway is. Within a row, direct, gateway and floor take turns (--rounds), so
 * the machine's drift falls on all three. Take ratios within one run: other load moves absolute numbers.
 * GATEWAY_NODE_FLAGS passes V8 flags to the gateway (to compare them).
 */
import { parseArgs } from 'node:util';
import { DEMO_USERS } from '../../src/standin/demo.js';
import { cpuSeconds, drive, merge, MCP_HEADERS, rssMiB, toolCallBody, type LoadResult } from './load.js';
import {
  ask,
  benchSid,
  gatewayFlags,
  LIST_ARGS,
  salesCredentials,
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
    // Turns per row (see the row loop): direct, gateway and floor take their calls in this many rounds.
    rounds: { type: 'string', default: '4' },
    // Skips the bare Node relay (floor-proxy.ts) driven beside the gateway. Spelled out: Node 20's
    // parseArgs has no negated booleans.
    'no-floor': { type: 'boolean', default: false },
  },
});
const amount = Number(values.amount);
const args = JSON.parse(values.args) as { doctype: string; fields?: string[]; limit?: number };
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
  const credentials: Record<string, Record<string, string>> = await salesCredentials(standin);
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
    `gateway pid ${pid}, RSS ${rss0} MiB at start; gateway and floor warmed with ${values['warm-up']} calls per credential, at each client count, then ${amount} requests per row and target in ${values.rounds} interleaved rounds; ${values.tool} ${values.args}`,
  );
  console.log(
    'credential clients  direct p50   mcp p50  (+ms)   direct rps  mcp rps  thru×  gw CPU/call  Frappe CPU/call direct→mcp  Frappe calls/tool call',
  );
  const warmUp = Number(values['warm-up']);
  const body = toolCallBody(values.tool, args);
  // At every client count, most first: V8 optimises what one client's calls run (a fresh connection per
  // call, no queue at the agent) apart from what ten clients' run, and a long-running gateway has seen both.
  const clientCounts = values.clients.split(',').map(Number);
  for (const clients of [...clientCounts].sort((a, b) => b - a))
    for (const kind of values.credentials.split(','))
      for (const url of [`${gw}/mcp`, ...(floor ? [floor.url] : [])])
        await drive({ url, method: 'POST', headers: { ...MCP_HEADERS, ...credentials[kind] }, body }, clients, warmUp);
  const rounds = Math.max(1, Number(values.rounds));
  const chunk = Math.ceil(amount / rounds);
  for (const kind of values.credentials.split(',')) {
    const headers = credentials[kind]!;
    const mcpTarget = { url: `${gw}/mcp`, method: 'POST' as const, headers: { ...MCP_HEADERS, ...headers }, body };
    for (const connections of clientCounts) {
      // Each target's share of the row in `rounds` turns (direct, gateway, floor, direct, ...), so that
      // the machine's drift over a row falls on all three alike and no process idles for a whole row.
      // The first turn of each target opens its connections with 200 unmeasured calls, later turns with
      // as many as there are clients; CPU counts every call made.
      const d: LoadResult[] = [];
      const m: LoadResult[] = [];
      const fl: LoadResult[] = [];
      let fd = 0;
      let fm = 0;
      let gwCpu = 0;
      const gwCpuByRound: string[] = [];
      let floorCpu = 0;
      let requests = 0;
      let calls = 0;
      for (let round = 0; round < rounds; round++) {
        const warm = round === 0 ? Math.min(200, chunk) : connections;
        calls += chunk + warm;
        const f0 = await cpuOf(frappePids);
        d.push(await drive({ url: direct, method: 'GET', headers }, connections, chunk, warm));
        const f1 = await cpuOf(frappePids);
        await ask(standin, 'reset');
        const c0 = await cpuSeconds(pid);
        m.push(await drive(mcpTarget, connections, chunk, warm));
        const spent = (await cpuSeconds(pid)) - c0;
        gwCpu += spent;
        gwCpuByRound.push(((spent * 1000) / (chunk + warm)).toFixed(2));
        const f2 = await cpuOf(frappePids);
        requests += (await ask<{ requests: number }>(standin, 'count')).requests;
        fd += f1 - f0;
        fm += f2 - f1;
        if (floor) {
          const fc0 = await cpuSeconds(floor.pid);
          fl.push(await drive({ ...mcpTarget, url: floor.url }, connections, chunk, warm));
          floorCpu += (await cpuSeconds(floor.pid)) - fc0;
        }
      }
      const [dr, mr] = [merge(d), merge(m)];
      const perCall = (seconds: number) => ((seconds * 1000) / calls).toFixed(2);
      if (mr.errors || mr.non2xx || dr.errors || dr.non2xx)
        console.log(`  (errors: mcp ${mr.errors + mr.non2xx}, direct ${dr.errors + dr.non2xx})`);
      let tail = '';
      if (floor) {
        const f = merge(fl);
        tail = `   | node floor: p50 ${f.p50.toFixed(2)} ms (${signed(f.p50 - dr.p50)}), ${(f.rps / dr.rps).toFixed(2)}×, CPU ${perCall(floorCpu)} ms/call`;
      }
      // A spike in one round (a full GC, a wave of V8 optimisations) reads apart from a row-wide cost.
      if (rounds > 1) tail += `   | gw CPU by round: ${gwCpuByRound.join(' / ')} ms`;
      console.log(
        `${kind.padEnd(10)} ${String(connections).padStart(7)}  ${dr.p50.toFixed(2).padStart(8)} ms ${mr.p50.toFixed(2).padStart(6)} ms ${`(${signed(mr.p50 - dr.p50)})`.padStart(7)}  ${dr.rps.toFixed(0).padStart(10)}  ${mr.rps.toFixed(0).padStart(7)}  ${(mr.rps / dr.rps).toFixed(2).padStart(5)}  ${perCall(gwCpu).padStart(8)} ms  ${perCall(fd).padStart(12)} → ${perCall(fm)} ms  ${(requests / calls).toFixed(2).padStart(10)}${tail}`,
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
