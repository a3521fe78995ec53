/**
 * What each tool call leaves for V8's garbage collector: hidden classes (maps) made per call, and what
 * the young-generation collections (scavenges) keep and promote. The built gateway runs in front of the
 * Frappe-like stand-in with V8's --log-maps and --trace-gc-nvp; after a warm-up, --amount list_documents
 * calls (sid, default arguments) from one client are counted.
 *   npx tsx scripts/bench/shapes.ts [--amount 2000 --warm-up 3000]
 *
 * Why it matters (issue #12): a hidden class lives in V8's old space until a full collection. One made
 * per call, and pointing at the call's objects (a getter defined per request, an object spread followed
 * by added properties in optimised code), kept each call's request and response alive through every
 * scavenge and promoted them: ~110 KB per scavenge, ~1 ms each, and more full collections. A healthy hot
 * path makes no hidden class per call, and its scavenges keep about what the node floor's do (~10 KB).
 * Some map events come per scavenge, not per call: Node builds each GC's performance entry (prom-client's
 * GC metric observes them) with four.
 */
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { drive } from './load.js';
import { LIST_ARGS, salesToolCall, startBenchProcesses, startFlags } from './processes.js';

const { values } = parseArgs({
  options: {
    amount: { type: 'string', default: '2000' },
    'warm-up': { type: 'string', default: '3000' },
    tool: { type: 'string', default: 'list_documents' },
    args: { type: 'string', default: LIST_ARGS },
  },
});
const amount = Number(values.amount);
const dir = mkdtempSync(join(tmpdir(), 'fmg-shapes-'));
const v8log = join(dir, 'v8.log');
const stdout = openSync(join(dir, 'stdout.log'), 'w');
const procs = await startBenchProcesses({
  gatewayNodeFlags: [...startFlags(), '--log-maps', `--logfile=${v8log}`, '--no-logfile-per-isolate', '--trace-gc-nvp'],
  stdout,
});
const pid = procs.gateway.pid!;
const target = await salesToolCall(procs, values.tool, JSON.parse(values.args));

/** Milliseconds since the gateway process started: the clock of both V8 logs (to within ~10 ms). */
function gatewayAgeMs(): number {
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  // /proc/<pid>/stat: the start time is field 22, in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (uptime - Number(fields[19]) / 100) * 1000;
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

await drive(target, 10, Number(values['warm-up']));
await drive(target, 1, 300);
await pause(1000);
const from = gatewayAgeMs();
const run = await drive(target, 1, amount);
const to = gatewayAgeMs();
await pause(1000);
procs.stop();
await pause(1000);
closeSync(stdout);
if (run.errors || run.non2xx) throw new Error(`${run.errors} errors and ${run.non2xx} non-2xx answers`);
const calls = amount + Math.min(200, amount);

// map,<event>,<time µs>,<from>,<to>,<pc>,<line>,<column>,<reason>,<name>
const maps = new Map<string, number>();
for (const line of readFileSync(v8log, 'utf8').split('\n')) {
  if (!line.startsWith('map,')) continue;
  const f = line.split(',');
  const at = Number(f[2]) / 1000;
  if (at < from || at > to) continue;
  const kind = `${f[1]} ${f[8] ?? ''} ${f[9] ?? ''}`.trim();
  maps.set(kind, (maps.get(kind) ?? 0) + 1);
}
// [pid:isolate]   1234 ms: pause=0.3 mutator=… gc=s … promoted=… new_space_survived=…
const scavenges: Array<Record<string, number>> = [];
let fullGcs = 0;
for (const line of readFileSync(join(dir, 'stdout.log'), 'utf8').split('\n')) {
  const at = /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: pause=/.exec(line);
  if (!at || Number(at[1]) < from || Number(at[1]) > to) continue;
  if (line.includes(' gc=mc ')) fullGcs++;
  if (!line.includes(' gc=s ')) continue;
  scavenges.push(Object.fromEntries([...line.matchAll(/ ([a-z_.]+)=([0-9.]+)/g)].map((m) => [m[1]!, Number(m[2])])));
}
const sum = (k: string) => scavenges.reduce((a, s) => a + (s[k] ?? 0), 0);
const perScavenge = (k: string) => (scavenges.length ? sum(k) / scavenges.length : 0);
const made = [...maps.values()].reduce((a, b) => a + b, 0);

console.log(`gateway, ${calls} ${values.tool} calls from 1 client after ${values['warm-up']} (logs in ${dir}):`);
console.log(`hidden classes (V8 map events) per call: ${(made / calls).toFixed(2)}`);
for (const [kind, n] of [...maps].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
  console.log(`  ${(n / calls).toFixed(2)}  ${kind}`);
}
console.log(
  `scavenges: ${scavenges.length} (one per ${(calls / Math.max(1, scavenges.length)).toFixed(0)} calls), ` +
    `${(perScavenge('new_space_survived') / 1024).toFixed(0)} KB kept and ${(perScavenge('promoted') / 1024).toFixed(0)} KB promoted per scavenge, ` +
    `${perScavenge('pause').toFixed(2)} ms pause each, ${((sum('pause') / calls) * 1000).toFixed(0)} µs per call`,
);
console.log(`full collections in the window: ${fullGcs}`);
