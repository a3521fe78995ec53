/**
 * The floor of any Node gateway, for benchmarks only: a bare node:http relay that does the least a
 * gateway must do for a tools/call — read the JSON-RPC body, make the one Frappe call with the caller's
 * own Cookie / Authorization (one keep-alive agent, as the gateway's client), parse the answer and
 * write a JSON-RPC result. No auth chain, routing, validation, logging, metrics or MCP SDK. Its CPU per
 * call is what Node itself costs on this machine for one request in and one out; the gateway's figure
 * minus this one is what the gateway adds (issue #12).
 *   env FRAPPE_URL, PORT; started by run.ts beside the gateway.
 */
import { Agent, createServer, request } from 'node:http';

const frappe = new URL(process.env.FRAPPE_URL ?? 'http://127.0.0.1:8000');
const agent = new Agent({ keepAlive: true });

interface Call {
  id: string | number;
  params: { arguments: { doctype: string; fields?: string[]; limit?: number } };
}

function readAll(stream: NodeJS.ReadableStream, done: (text: string) => void): void {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(Buffer.concat(chunks).toString()));
}

createServer((req, res) => {
  readAll(req, (text) => {
    const call = JSON.parse(text) as Call;
    const a = call.params.arguments;
    const path = `/api/resource/${encodeURIComponent(a.doctype)}?fields=${encodeURIComponent(JSON.stringify(a.fields ?? ['name']))}&limit_page_length=${(a.limit ?? 20) + 1}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (req.headers.cookie) headers.Cookie = req.headers.cookie;
    if (req.headers.authorization) headers.Authorization = req.headers.authorization;
    request({ host: frappe.hostname, port: frappe.port, path, agent, headers }, (answer) => {
      readAll(answer, (body) => {
        const data = (JSON.parse(body) as { data: unknown }).data;
        const out = JSON.stringify({
          jsonrpc: '2.0',
          id: call.id,
          result: { content: [{ type: 'text', text: JSON.stringify(data) }] },
        });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(out) });
        res.end(out);
      });
    }).end();
  });
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
