/**
 * Load harness: N concurrent MCP clients doing tools/call against ANY MCP URL with any headers, and
 * the same call made directly as Frappe REST; prints req/s and p50/p99 for both and their ratio.
 *
 *   npx tsx scripts/bench/mcp-load.ts --url http://127.0.0.1:8080/mcp \
 *     --header 'Authorization: token KEY:SECRET' --tool list_documents --args '{"doctype":"Customer"}' \
 *     --direct 'http://127.0.0.1:8000/api/resource/Customer?limit_page_length=20' \
 *     --direct-header 'Authorization: token KEY:SECRET' --connections 10 --amount 2000 [--pid <gateway pid>]
 */
import { parseArgs } from 'node:util';
import { cpuSeconds, drive, MCP_HEADERS, toolCallBody, type LoadResult } from './load.js';

function headers(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list ?? []) {
    const i = h.indexOf(':');
    if (i > 0) out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

function line(label: string, r: LoadResult): string {
  return `${label.padEnd(8)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  errors ${r.errors + r.non2xx}`;
}

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    header: { type: 'string', multiple: true },
    tool: { type: 'string', default: 'list_documents' },
    args: { type: 'string', default: '{"doctype":"Customer","limit":20}' },
    direct: { type: 'string' },
    'direct-header': { type: 'string', multiple: true },
    connections: { type: 'string', default: '10' },
    amount: { type: 'string', default: '2000' },
    pid: { type: 'string' },
  },
});
if (!values.url) {
  console.error(
    'usage: mcp-load --url <MCP URL> [--header "K: V"]... [--tool T --args JSON] [--direct URL --direct-header "K: V"]',
  );
  process.exit(2);
}
const connections = Number(values.connections);
const amount = Number(values.amount);
const pid = values.pid ? Number(values.pid) : undefined;

const cpu0 = pid ? await cpuSeconds(pid) : 0;
const mcp = await drive(
  {
    url: values.url,
    method: 'POST',
    headers: { ...MCP_HEADERS, ...headers(values.header) },
    body: toolCallBody(values.tool, JSON.parse(values.args)),
  },
  connections,
  amount,
);
const cpu1 = pid ? await cpuSeconds(pid) : 0;
console.log(line('mcp', mcp));
if (pid)
  console.log(
    `gateway CPU per call: ${(((cpu1 - cpu0) * 1000) / (mcp.requests + Math.min(200, amount))).toFixed(2)} ms`,
  );
if (values.direct) {
  const direct = await drive(
    { url: values.direct, method: 'GET', headers: headers(values['direct-header']) },
    connections,
    amount,
  );
  console.log(line('direct', direct));
  console.log(
    `ratio    latency p50 ${(mcp.p50 / direct.p50).toFixed(2)}x  throughput ${(mcp.rps / direct.rps).toFixed(2)}x of direct`,
  );
}
