/**
 * The gateway at rest: RSS and CPU of the built gateway (default config, in front of the stand-in)
 * with no traffic, in two windows:
 *  - settling, the first IDLE_SETTLE_S seconds after it answers (default 15): the gateway compacts its
 *    heap once 8 s after start-up (src/heap.ts; V8's memory reducer did it before `npm start` turned the
 *    reducer off), which is a start-up cost;
 *  - at rest, the next IDLE_WINDOW_S seconds (default 20): what the timers cost for as long as it idles.
 * A single 10 s window starting 2 s after start-up caught those GCs and read 14–18 ms/s for a gateway that
 * spent 2–5 ms/s at rest, nearly all of it prom-client's event-loop sampling every 10 ms (now every 100 ms,
 * and only with METRICS on: 0.5–1 ms/s).
 *   npx tsx scripts/bench/idle.ts        GATEWAY_NODE_FLAGS="--max-semi-space-size=2" to compare V8 flags
 */
import { cpuSeconds, rssMiB } from './load.js';
import { gatewayFlags, startBenchProcesses } from './processes.js';

const settleS = Number(process.env.IDLE_SETTLE_S ?? 15);
const windowS = Number(process.env.IDLE_WINDOW_S ?? 20);
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

// IDLE_ENV='{"OAUTH_MODE":"off"}' adds gateway environment, to find what costs at rest.
const p = await startBenchProcesses({
  model: 'sleep',
  gatewayEnv: JSON.parse(process.env.IDLE_ENV ?? '{}') as Record<string, string>,
});
const pid = p.gateway.pid!;
const c0 = await cpuSeconds(pid);
await sleep(settleS);
const c1 = await cpuSeconds(pid);
await sleep(windowS);
const c2 = await cpuSeconds(pid);
const perS = (cpu: number, s: number) => ((cpu * 1000) / s).toFixed(1);
console.log(
  `flags: ${gatewayFlags().join(' ') || '(none)'}; idle RSS ${await rssMiB(pid)} MiB, ` +
    `idle CPU ${perS(c2 - c1, windowS)} ms/s at rest (${windowS} s), ${perS(c1 - c0, settleS)} ms/s settling (first ${settleS} s)`,
);
p.stop();
