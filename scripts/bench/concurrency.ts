/**
 * Many clients at once: `--clients` closed-loop MCP clients (each its own keep-alive connection) call
 * list_documents through the gateway for `--seconds`, in front of the Frappe-like stand-in; reports
 * errors, throughput, latency and the gateway's RSS sampled every 500 ms (peak and after).
 *   npx tsx scripts/bench/concurrency.ts [--clients 200 --seconds 60 --model frappe-like]
 */
import { Agent } from 'node:http';
import { parseArgs } from 'node:util';
import { cpuSeconds, once, rssMiB } from './load.js';
import { salesToolCall, startBenchProcesses, type LoadModel } from './processes.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    model: { type: 'string', default: 'frappe-like' },
  },
});
const clients = Number(values.clients);
const procs = await startBenchProcesses({
  model: values.model as LoadModel,
});
const pid = procs.gateway.pid!;
const target = await salesToolCall(procs);
const rssStart = await rssMiB(pid);
let peak = rssStart;
const sampler = setInterval(() => {
  void rssMiB(pid).then((r) => (peak = Math.max(peak, r)));
}, 500);
const agent = new Agent({ keepAlive: true, maxSockets: clients });
const latencies: number[] = [];
let errors = 0;
let non2xx = 0;
const until = performance.now() + Number(values.seconds) * 1000;
const c0 = await cpuSeconds(pid);
const started = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        const status = await once(agent, target);
        if (status < 200 || status >= 300) non2xx++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
const cpuMs = (((await cpuSeconds(pid)) - c0) * 1000) / latencies.length;
clearInterval(sampler);
agent.destroy();
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
console.log(
  `${clients} clients for ${values.seconds} s (${values.model}): ${latencies.length} calls, ${errors} errors, ${non2xx} non-2xx, ` +
    `${(latencies.length / elapsed).toFixed(0)} req/s, p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, ` +
    `gateway CPU ${cpuMs.toFixed(2)} ms/call`,
);
console.log(`gateway RSS: ${rssStart} MiB before, peak ${peak} MiB, ${await rssMiB(pid)} MiB after`);
procs.stop();
