/**
 * Memory over time: the gateway (as built) in front of the stand-in, driven with tools/call in rounds;
 * prints RSS and V8 heap after each round, so a leak shows as a line that keeps climbing.
 *   npx tsx scripts/bench/soak.ts [--rounds 8 --per-round 5000]
 */
import { execFileSync, fork } from 'node:child_process';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { drive, MCP_HEADERS, rssMiB, toolCallBody } from './load.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '8' }, 'per-round': { type: 'string', default: '5000' } },
});
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const standin = fork('scripts/bench/standin-server.ts', ['0'], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const { url: frappe } = await new Promise<{ url: string }>((r) =>
  standin.once('message', (m) => r(m as { url: string })),
);
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
const port = await freePort();
const gateway = fork('dist/index.js', [], {
  execArgv: (process.env.GATEWAY_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  env: { ...process.env, FRAPPE_URL: frappe, PORT: String(port), LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const gw = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(`${gw}/healthz`)).ok) break;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}
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
gateway.kill('SIGTERM');
standin.kill('SIGTERM');
