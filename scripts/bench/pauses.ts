/**
 * What V8 does to the gateway across pauses in its traffic: the built gateway runs with --trace-opt,
 * --trace-deopt and --trace-gc in front of the Frappe-like stand-in, is warmed as `npm run bench` warms it,
 * then takes list_documents calls in rounds with --pause seconds of silence before each (run.ts's direct
 * and floor rounds leave the gateway idle about as long). Per round: the gateway's CPU per call, functions
 * optimised and the time that took, deoptimisations (of which "weak objects": optimised code thrown away
 * because an object it embeds died in a collection), full and young GCs.
 *   npx tsx scripts/bench/pauses.ts [--pause 8 --calls 750 --rounds 4]
 *   GATEWAY_NODE_FLAGS="--max-semi-space-size=2 --heap-growing-percent=50 --single-threaded" to compare
 * With V8's memory reducer on (the default), its collections after a pause deoptimised ~170 functions at
 * once, and the next rounds spent ~1 s recompiling them (issue #12); hence --no-memory-reducer in `npm start`.
 */
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds, drive, MCP_HEADERS, toolCallBody, type LoadTarget } from './load.js';
import { gatewayFlags, LIST_ARGS, salesCredentials, startBenchProcesses } from './processes.js';

const { values } = parseArgs({
  options: {
    pause: { type: 'string', default: '8' },
    calls: { type: 'string', default: '750' },
    rounds: { type: 'string', default: '4' },
    'warm-up': { type: 'string', default: '1000' },
  },
});
const trace = join(mkdtempSync(join(tmpdir(), 'fmg-pauses-')), 'v8.log');
const procs = await startBenchProcesses({
  gatewayNodeFlags: [...gatewayFlags(), '--trace-opt', '--trace-deopt', '--trace-gc'],
  stdout: openSync(trace, 'w'),
});
const credentials: Record<string, Record<string, string>> = await salesCredentials(procs.standin);
const body = toolCallBody('list_documents', JSON.parse(LIST_ARGS));
const target = (kind: string): LoadTarget => ({
  url: `${procs.gw}/mcp`,
  method: 'POST',
  headers: { ...MCP_HEADERS, ...credentials[kind] },
  body,
});
const pid = procs.gateway.pid!;
let seen = 0;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
/** The first "a / b ms" (GC pause) or the three "took a, b, c ms" (compile phases) of a trace line. */
const gcMs = (line: string) => Number(/([\d.]+) \/ [\d.]+ ms/.exec(line)?.[1] ?? 0);
const compileMs = (line: string) => sum((/took ([\d.]+), ([\d.]+), ([\d.]+) ms/.exec(line) ?? []).slice(1).map(Number));

async function round(name: string, kind: string, clients: number, calls: number): Promise<void> {
  const before = await cpuSeconds(pid);
  const run = await drive(target(kind), clients, calls, 0);
  const cpu = (await cpuSeconds(pid)) - before;
  await new Promise((r) => setTimeout(r, 200)); // the trace lines of the last calls
  const lines = readFileSync(trace, 'utf8').split('\n');
  const fresh = lines.slice(seen);
  seen = lines.length;
  const compiled = fresh.filter((l) => l.includes('completed compiling'));
  const deopts = fresh.filter((l) => /bailout \(kind|for deoptimization/.test(l));
  const weak = deopts.filter((l) => l.includes('reason: weak objects')).length;
  const full = fresh.filter((l) => l.includes('Mark-Compact'));
  const young = fresh.filter((l) => l.includes('Scavenge'));
  console.log(
    [
      name.padEnd(16),
      `${((cpu * 1000) / calls).toFixed(2)} ms/call`,
      `optimised ${compiled.length} (${sum(compiled.map(compileMs)).toFixed(0)} ms)`,
      `deoptimised ${deopts.length} (weak objects ${weak})`,
      `full GCs ${full.length}${full.some((l) => l.includes('(reduce)')) ? ' (memory reducer)' : ''}`,
      `scavenges ${young.length} (${sum(young.map(gcMs)).toFixed(0)} ms)`,
      run.errors + run.non2xx ? `ERRORS ${run.errors + run.non2xx}` : '',
    ].join('  '),
  );
}

console.log(`gateway V8 flags: ${gatewayFlags().join(' ')}; trace in ${trace}`);
const warmUp = Number(values['warm-up']);
for (const clients of [10, 1])
  for (const kind of ['sid', 'api_key']) await round(`warm ${kind} ${clients}c`, kind, clients, warmUp);
for (const kind of ['sid', 'api_key'])
  for (const clients of [1, 10])
    for (let i = 0; i < Number(values.rounds); i++) {
      await new Promise((r) => setTimeout(r, Number(values.pause) * 1000));
      await round(`${kind} ${clients}c round ${i + 1}`, kind, clients, Number(values.calls));
    }
procs.stop();
