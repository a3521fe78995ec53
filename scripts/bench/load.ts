import { Agent, request } from 'node:http';

export interface LoadTarget {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  errors: number;
  non2xx: number;
  /** Every measured request's latency (ms), sorted: to merge the rounds of one row (run.ts). */
  latencies: number[];
  /** Wall time of the measured requests, seconds. */
  seconds: number;
}

export function once(agent: Agent, target: LoadTarget): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(target.url, { method: target.method, headers: target.headers, agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(target.body);
  });
}

/**
 * A closed-loop load: `connections` clients, each sending its next request when the previous answer
 * has fully arrived, over keep-alive connections, until `amount` requests are done (after `warmUp`
 * requests, not measured, that open the connections; 200 unless given).
 * Latencies are measured with the high-resolution clock.
 */
export async function drive(
  target: LoadTarget,
  connections: number,
  amount: number,
  warmUp = Math.min(200, amount),
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const run = async (n: number) => {
    const latencies: number[] = [];
    let errors = 0;
    let non2xx = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < n) {
          next++;
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
    return summarize(
      latencies.sort((a, b) => a - b),
      (performance.now() - started) / 1000,
      errors,
      non2xx,
    );
  };
  if (warmUp > 0) await run(warmUp);
  const result = await run(amount);
  agent.destroy();
  return result;
}

/** The figures of sorted `latencies` taken over `seconds` (also of several drives' merged). */
function summarize(latencies: number[], seconds: number, errors: number, non2xx: number): LoadResult {
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    errors,
    non2xx,
    latencies,
    seconds,
  };
}

/** Merges the drives of one target taken in rounds: every latency, and the wall time of all of them. */
export function merge(results: readonly LoadResult[]): LoadResult {
  const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const sum = (f: (r: LoadResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return summarize(
    all,
    sum((r) => r.seconds),
    sum((r) => r.errors),
    sum((r) => r.non2xx),
  );
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export async function cpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // USER_HZ is 100 on Linux
}

export async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** A JSON-RPC tools/call body as every MCP client sends it (2025 era, stateless: no session needed). */
export function toolCallBody(tool: string, args: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args } });
}

export const MCP_HEADERS = {
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  'MCP-Protocol-Version': '2025-11-25',
};
