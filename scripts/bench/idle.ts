/**
 * The gateway at rest: RSS and CPU of the built gateway (default config, in front of the stand-in)
 * after start-up, over 10 s with no traffic.
 *   npx tsx scripts/bench/idle.ts        GATEWAY_NODE_FLAGS="--max-semi-space-size=2" to compare V8 flags
 */
import { cpuSeconds, rssMiB } from './load.js';
import { gatewayFlags, startBenchProcesses } from './processes.js';

// IDLE_ENV='{"OAUTH_MODE":"off"}' adds gateway environment, to find what costs at rest.
const p = await startBenchProcesses({
  model: 'sleep',
  gatewayEnv: JSON.parse(process.env.IDLE_ENV ?? '{}') as Record<string, string>,
});
const pid = p.gateway.pid!;
await new Promise((r) => setTimeout(r, 2000));
const c0 = await cpuSeconds(pid);
await new Promise((r) => setTimeout(r, 10_000));
const cpu = ((await cpuSeconds(pid)) - c0) * 100;
console.log(
  `flags: ${gatewayFlags().join(' ') || '(none)'}; idle RSS ${await rssMiB(pid)} MiB, idle CPU ${cpu.toFixed(1)} ms/s`,
);
p.stop();
