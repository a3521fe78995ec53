import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log/logger.js';
import { startGateway, type RunningGateway } from '../../src/server.js';
import { startStandin, type Standin, type StandinOptions } from '../../src/standin/index.js';
import { TEST_FRAPPE_VERSION } from './frappe-version.js';

/** Every log line the gateway wrote, for assertions (e.g. that no secret reaches a line). */
export const allLogLines: string[] = [];

export interface Stack {
  standin: Standin;
  gateway: RunningGateway;
  url: string;
  logs: string[];
  close(): Promise<void>;
}

/**
 * The stand-in and a gateway in front of it, both on random loopback ports. `env` is applied as
 * environment overrides (e.g. { READ_ONLY: 'true' }); no config.yaml is read.
 */
export async function startStack(
  env: Record<string, string> = {},
  standinOptions: StandinOptions = {},
  /** Front this stand-in instead of a new one (e.g. two replicas of one site); it is not closed with the stack. */
  shared?: Standin,
): Promise<Stack> {
  const standin = shared ?? (await startStandin({ version: TEST_FRAPPE_VERSION, ...standinOptions }));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) {
          logs.push(line);
          allLogLines.push(line);
        }
      }
      cb();
    },
  });
  const cwd = mkdtempSync(join(tmpdir(), 'fmg-'));
  const config = loadConfig({ FRAPPE_URL: standin.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', ...env }, cwd);
  const logger = createLogger(config.log, sink);
  const gateway = await startGateway(config, logger, standin.url);
  return {
    standin,
    gateway,
    url: gateway.url,
    logs,
    close: async () => {
      await gateway.close();
      if (!shared) await standin.close();
    },
  };
}

export type Era = 'legacy' | 'modern';

/** A real MCP SDK client over Streamable HTTP, sending `headers` on every request. */
export async function connectMcp(url: string, headers: Record<string, string>, era: Era = 'legacy'): Promise<Client> {
  const client = new Client(
    { name: 'gateway-tests', version: '1.0.0' },
    { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } } },
  );
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers } });
  await client.connect(transport);
  return client;
}

/** Headers for each demo credential kind. */
export function tokenHeader(key: string, secret: string): Record<string, string> {
  return { Authorization: `token ${key}:${secret}` };
}
export function sidHeader(sid: string): Record<string, string> {
  return { Cookie: `sid=${sid}` };
}
export function bearerHeader(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}
