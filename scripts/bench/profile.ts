/**
 * Where the gateway's CPU goes per tool call: the built gateway runs with --cpu-prof in front of the
 * Frappe-like stand-in, takes `--amount` list_documents calls (sid, default arguments) from
 * `--clients` clients, then exits; the profile is summed by self time per package (or gateway file)
 * and per function.
 *   npx tsx scripts/bench/profile.ts [--amount 5000 --clients 10 --top 40]
 * The raw .cpuprofile stays in the printed directory (open it in Chrome DevTools for the call tree).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { drive } from './load.js';
import { gatewayFlags, LIST_ARGS, salesToolCall, startBenchProcesses, type LoadModel } from './processes.js';

const { values } = parseArgs({
  options: {
    amount: { type: 'string', default: '5000' },
    clients: { type: 'string', default: '10' },
    top: { type: 'string', default: '40' },
    model: { type: 'string', default: 'frappe-like' },
    args: { type: 'string', default: LIST_ARGS },
  },
});

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const dir = mkdtempSync(join(tmpdir(), 'fmg-prof-'));
const procs = await startBenchProcesses({
  model: values.model as LoadModel,
  gatewayNodeFlags: [...gatewayFlags(), '--cpu-prof', `--cpu-prof-dir=${dir}`],
});
const result = await drive(
  await salesToolCall(procs, 'list_documents', JSON.parse(values.args)),
  Number(values.clients),
  Number(values.amount),
);
const exited = new Promise((resolve) => procs.gateway.once('exit', resolve));
procs.stop();
await exited;
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile written in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function bucket(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : `(native) ${fn}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return url;
  const own = /\/dist\/(.+)$/.exec(url);
  return own ? `gateway ${own[1]}` : url;
}
const groups = new Map<string, number>();
const fns = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const { url, functionName, lineNumber } = n.callFrame;
  const b = bucket(url, functionName);
  groups.set(b, (groups.get(b) ?? 0) + us);
  const f = `${functionName || '(anonymous)'} ${b}:${lineNumber + 1}`;
  fns.set(f, (fns.get(f) ?? 0) + us);
}
const calls = result.requests + Math.min(200, Number(values.amount));
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000 / calls).toFixed(3)} ms/call  ${k}`);
};
console.log(
  `${calls} calls, ${result.errors + result.non2xx} errors; profiled ${(total / 1e6).toFixed(2)} s on the gateway's main thread = ${(total / 1000 / calls).toFixed(3)} ms/call (idle included); profile in ${dir}`,
);
show('By package / file (self time)', groups);
show('By function (self time)', fns);
