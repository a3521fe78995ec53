/**
 * Memory over time: the gateway (as built) in front of the Frappe-like stand-in, driven with tools/call
 * in rounds; prints RSS after each round, so a leak shows as a line that keeps climbing.
 *   npx tsx scripts/bench/soak.ts [--rounds 10 --per-round 10000 --clients 10 --model frappe-like]
 * GATEWAY_NODE_FLAGS="--max-semi-space-size=..." passes V8 flags to the gateway, to compare them.
 */
import { parseArgs } from 'node:util';
import { drive, rssMiB } from './load.js';
import { gatewayFlags, salesToolCall, startBenchProcesses, type LoadModel } from './processes.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    'per-round': { type: 'string', default: '10000' },
    clients: { type: 'string', default: '10' },
    model: { type: 'string', default: 'frappe-like' },
  },
});
const procs = await startBenchProcesses({
  model: values.model as LoadModel,
});
const { gateway, stop } = procs;
const target = await salesToolCall(procs);
console.log(`gateway flags: ${gatewayFlags().join(' ') || '(none)'}; ${values.clients} clients`);
console.log(`round  calls    RSS MiB  errors`);
console.log(`start  0        ${await rssMiB(gateway.pid!)}`);
let calls = 0;
let errors = 0;
for (let r = 1; r <= Number(values.rounds); r++) {
  const res = await drive(target, Number(values.clients), Number(values['per-round']));
  calls += res.requests + 200;
  errors += res.errors + res.non2xx;
  console.log(
    `${String(r).padEnd(6)} ${String(calls).padEnd(8)} ${String(await rssMiB(gateway.pid!)).padEnd(8)} ${errors}`,
  );
}
stop();
