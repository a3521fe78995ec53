/**
 * Memory over time: the gateway (as built) in front of the stand-in, driven with tools/call in rounds;
 * prints RSS and V8 heap after each round, so a leak shows as a line that keeps climbing.
 *   npx tsx scripts/bench/soak.ts [--rounds 8 --per-round 5000]
 */
import { parseArgs } from 'node:util';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { drive, MCP_HEADERS, rssMiB, toolCallBody } from './load.js';
import { startBenchProcesses } from './processes.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '8' }, 'per-round': { type: 'string', default: '5000' } },
});
const { gateway, gw, stop } = await startBenchProcesses(
  (process.env.GATEWAY_NODE_FLAGS ?? '').split(' ').filter(Boolean),
);
const { sales } = DEMO_API_KEYS;
const target = {
  url: `${gw}/mcp`,
  method: 'POST' as const,
  headers: { ...MCP_HEADERS, Authorization: `token ${sales.key}:${sales.secret}` },
  body: toolCallBody('list_documents', {
    doctype: 'Customer',
    fields: ['name', 'customer_name'],
    limit: 20,
    include_total: false,
  }),
};
console.log(`round  calls   RSS MiB`);
console.log(`start  0       ${await rssMiB(gateway.pid!)}`);
let calls = 0;
for (let r = 1; r <= Number(values.rounds); r++) {
  const res = await drive(target, 10, Number(values['per-round']));
  calls += res.requests + 200;
  console.log(`${String(r).padEnd(6)} ${String(calls).padEnd(7)} ${await rssMiB(gateway.pid!)}`);
}
stop();
