/**
 * Instructions per tool call, counted by valgrind's callgrind. CPU time on this shared 2-core machine
 * moves by ±0.2–0.3 ms per call between identical runs, as much as most single changes to the hot path;
 * an instruction count moves by about 1 %, so one run of each side of a change shows its effect.
 *
 * The built gateway (or, with --floor, the bare relay of floor-proxy.ts) runs under callgrind with
 * counting off, in front of the Frappe-like stand-in. After --warm-up calls at 10 clients, counting is
 * on for --amount list_documents calls (sid, default arguments) from --clients clients (1). Printed per call: all
 * instructions; those inside V8's optimising compiler (the warm-up still going on: V8 keeps optimising
 * hot functions for the first few thousand calls) and inside garbage collection, both of which come in
 * lumps; and what is left, the figure to compare. Kernel time is not counted.
 *   npx tsx scripts/bench/instructions.ts [--floor] [--clients 1] [--amount 3000] [--warm-up 5000]
 * Needs valgrind (apt-get install valgrind); each run takes about four minutes. Fewer calls count more of
 * the warm-up: at 1,000 the rest read ~25 % higher.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { drive } from './load.js';
import { LIST_ARGS, salesToolCall, startBenchProcesses, startFloor } from './processes.js';

const { values } = parseArgs({
  options: {
    amount: { type: 'string', default: '3000' },
    clients: { type: 'string', default: '1' },
    'warm-up': { type: 'string', default: '5000' },
    floor: { type: 'boolean', default: false },
    args: { type: 'string', default: LIST_ARGS },
  },
});
const amount = Number(values.amount);

const dir = mkdtempSync(join(tmpdir(), 'fmg-callgrind-'));
const wrap = ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${join(dir, 'cg.%p')}`];
// The stand-in's Frappe workers run natively; only the measured process is under valgrind.
const procs = await startBenchProcesses(values.floor ? {} : { wrap });
const floor = values.floor ? await startFloor(procs.frappe, wrap) : undefined;
const pid = floor ? floor.pid : procs.gateway.pid!;
const target = await salesToolCall(procs, 'list_documents', JSON.parse(values.args), floor?.url);
const control = (arg: string) => execFileSync('callgrind_control', [arg, String(pid)], { stdio: 'ignore' });

await drive(target, 10, Number(values['warm-up']));
control('--instr=on');
const run = await drive(target, Number(values.clients), amount);
control('--dump');
control('--instr=off');
floor?.stop();
procs.stop();
if (run.errors || run.non2xx) throw new Error(`${run.errors} errors and ${run.non2xx} non-2xx answers`);

const dump = readdirSync(dir).find((f) => f.endsWith('.1'));
if (!dump) throw new Error(`no callgrind dump in ${dir}`);
const annotated = execFileSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', join(dir, dump)], {
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
/** The largest inclusive count of a line naming `fn` (its outermost frame). */
function inclusive(fn: RegExp): number {
  let most = 0;
  for (const line of annotated.split('\n')) {
    const m = /^\s*([\d,]+) \(/.exec(line);
    if (m && fn.test(line)) most = Math.max(most, Number(m[1]!.replaceAll(',', '')));
  }
  return most;
}
const total = inclusive(/PROGRAM TOTALS/);
const compile = inclusive(/Runtime_CompileOptimized\(/) + inclusive(/Runtime_CompileLazy\(/);
const gc = inclusive(/Heap::CollectGarbage\(/);
const k = (n: number) => `${Math.round(n / amount / 1000)} K`;
console.log(
  `${floor ? 'node floor' : 'gateway'}, ${amount} calls from ${values.clients} client(s) after ${values['warm-up']} (${dir}):`,
);
console.log(
  `instructions per call: ${k(total)} in all, compiler ${k(compile)}, GC ${k(gc)}, **rest ${k(total - compile - gc)}**`,
);
