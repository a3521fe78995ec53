import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Config } from '../config/load.js';
import { stdioCredential } from '../config/stdio-credential.js';
import { AuthError } from '../auth/errors.js';
import { buildGateway } from '../gateway.js';
import type { Logger } from '../log/logger.js';
import { authInfoFor, mcpServerFactory, mcpToolRunner, type McpRequestState } from '../mcp/server.js';

/**
 * `frappe-mcp-gateway stdio`: one MCP connection on stdin/stdout for a local client (Claude Desktop),
 * acting as the credential in the environment, confirmed by Frappe once at start. Logs go to stderr.
 */
export async function runStdio(config: Config, logger: Logger, frappeUrl: string): Promise<void> {
  const headers = stdioCredential();
  if (typeof headers === 'string') throw new Error(`stdio mode needs a credential: ${headers}`);
  const gw = buildGateway(config, logger, frappeUrl);
  let auth;
  try {
    auth = await gw.chain.authenticate(headers);
  } catch (err) {
    if (err instanceof AuthError) throw new Error(`Frappe at ${frappeUrl} refused the credential: ${err.message}`);
    throw err;
  }
  logger.info({ user: auth.principal.user, frappe: frappeUrl }, 'stdio MCP server ready');
  const factory = mcpServerFactory(gw.registry, mcpToolRunner(gw.registry, gw.limits));
  let n = 0;
  serveStdio((ctx) => {
    const state: McpRequestState = {
      auth,
      log: logger,
      reqId: `stdio-${++n}`,
      outcome: {},
      ...(gw.audit ? { audit: gw.audit } : {}),
    };
    return factory({ ...ctx, authInfo: authInfoFor(state) });
  });
}
