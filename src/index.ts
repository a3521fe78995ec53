#!/usr/bin/env node
import { ConfigError, loadConfig, type Config } from './config/load.js';
import { createLogger, type Logger } from './log/logger.js';
import { runStdio } from './cli/stdio.js';
import { probeFrappe } from './frappe/probe.js';
import { checkVersionAtStartup } from './frappe/startup-version.js';
import { settleHeapAfterStartup } from './heap.js';
import { startGateway } from './server.js';
import { DEMO_API_KEYS, DEMO_USERS } from './standin/demo.js';
import type { Standin } from './standin/index.js';

/** Start-up failures are told in one clear sentence on stderr, never as a stack trace. */
function fail(message: string): never {
  process.stderr.write(`frappe-mcp-gateway: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const stdio = process.argv[2] === 'stdio';
  if (process.argv[2] && !stdio)
    fail(`unknown command "${process.argv[2]}"; run without arguments for HTTP, or "stdio"`);
  // In stdio mode stdout carries the protocol: every log line goes to stderr.
  const logger = stdio ? createLogger({ ...config.log, format: 'json' }, process.stderr) : createLogger(config.log);
  if (stdio && config.sites) fail('stdio serves one Frappe site: set FRAPPE_URL instead of sites');
  exitOnFatal(logger);
  let standin: Standin | undefined;
  // Demo mode: neither FRAPPE_URL nor sites.
  if (!config.frappe.url && !config.sites) {
    try {
      // Loaded only in demo mode: a gateway fronting a real site never carries the stand-in.
      const { startStandin } = await import('./standin/index.js');
      standin = await startStandin({
        port: config.demo.frappe_port,
        host: '127.0.0.1',
        version: config.frappe.version === '16' ? 16 : 15,
      });
    } catch (err) {
      fail(
        `cannot start the demo Frappe stand-in on 127.0.0.1:${config.demo.frappe_port} (${(err as Error).message}); set DEMO_FRAPPE_PORT or FRAPPE_URL`,
      );
    }
  }
  const frappeUrl = config.frappe.url ?? standin?.url ?? '';
  if (standin) config = withDemoOAuth(config);
  if (stdio) {
    await runStdio(config, logger, frappeUrl).catch((err: Error) => fail(err.message));
    return;
  }
  let running;
  try {
    running = await startGateway(config, logger, frappeUrl);
  } catch (err) {
    fail(`cannot listen on ${config.server.host}:${config.server.port} (${(err as Error).message}); set PORT or HOST`);
  }
  // SIGTERM (orchestrators) or Ctrl-C: stop accepting, let requests in flight finish within the
  // configured grace, flush the log, exit 0. A second signal exits at once. Installed as soon as the
  // gateway listens: the start-up checks below wait on Frappe, and a signal meanwhile would otherwise
  // end the process at once, cutting the requests it is already serving.
  const graceMs = config.server.shutdown_timeout_seconds * 1000;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return exitFlushed(logger, 1);
    stopping = true;
    logger.info({ signal, grace_seconds: graceMs / 1000 }, 'shutting down: accepting no new requests');
    void Promise.all([running.close(graceMs), standin?.close()]).then(() => {
      logger.info('shut down');
      exitFlushed(logger, 0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // logrotate moved the audit file: reopen it at the configured path.
  process.on('SIGHUP', () => running.gateway.audit?.reopen());

  if (standin) printDemo(running.url, standin.url);
  else {
    for (const gw of running.gateways) {
      logger.info({ url: running.url, public: gw.publicUrl.href, frappe: gw.frappeUrl }, 'gateway listening');
      const problem = await probeFrappe(gw.site);
      if (problem) {
        logger.warn({ frappe: gw.frappeUrl }, problem);
        process.stderr.write(`frappe-mcp-gateway: warning: ${problem}\n`);
      }
    }
  }
  const advice = await checkVersionAtStartup(config, running.gateway.site, logger);
  if (advice) process.stderr.write(`frappe-mcp-gateway: warning: ${advice}\n`);
  settleHeapAfterStartup();
}

/** Exits once the buffered log is written, so the last lines (often the ones that explain why) survive. */
function exitFlushed(logger: Logger, code: number): void {
  // Bounded: a stuck stdout must not keep the process alive.
  setTimeout(() => process.exit(code), 2_000).unref();
  logger.flush(() => process.exit(code));
}

/** A crash is logged as one fatal line and flushed before the process ends, instead of losing the buffer. */
function exitOnFatal(logger: Logger): void {
  const fatal = (err: unknown) => {
    logger.fatal({ err }, 'fatal error; exiting');
    exitFlushed(logger, 1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

/**
 * Demo mode: unless configured otherwise, the OAuth facade creates its Frappe OAuth client in the
 * stand-in with the demo Administrator key, so remote MCP clients can sign in with no setup.
 */
function withDemoOAuth(config: Config): Config {
  const fc = config.oauth.frappe_client;
  if (fc.client_id || fc.admin_api_key) return config;
  const { admin } = DEMO_API_KEYS;
  return Object.freeze({
    ...config,
    oauth: { ...config.oauth, frappe_client: { ...fc, admin_api_key: admin.key, admin_api_secret: admin.secret } },
  });
}

function printDemo(gatewayUrl: string, frappeUrl: string): void {
  const { admin } = DEMO_API_KEYS;
  const lines = [
    '',
    `frappe-mcp-gateway (demo) listening on ${gatewayUrl}`,
    `Demo Frappe stand-in (a test double, not a real Frappe) on ${frappeUrl}`,
    '',
    'Demo users:',
    ...Object.values(DEMO_USERS).map((u) => `  ${u.user.padEnd(22)} ${u.password}`),
    `API key (Administrator): ${admin.key}:${admin.secret}`,
    '',
    'Try:',
    `  curl -s -H 'Authorization: token ${admin.key}:${admin.secret}' ${gatewayUrl}/api/v1/whoami`,
    `  sid=$(curl -s -c - -H 'Content-Type: application/json' -d '{"usr":"sales@example.com","pwd":"Sales#Pass2024"}' ${frappeUrl}/api/method/login | awk '$6=="sid"{print $7}')`,
    `  curl -s -b "sid=$sid" ${gatewayUrl}/api/v1/whoami`,
    `MCP endpoint: ${gatewayUrl}/mcp  (OAuth sign-in works out of the box for MCP clients)`,
    `Ask in the demo desk: ${gatewayUrl}/demo/desk/  (sign in, then type @ai show me top 5 customers)`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => fail((err as Error).message));
