import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/load.js';
import { createApp } from './http/app.js';
import { LaneRequest, LaneResponse } from './http/lane.js';
import { buildGateway, type Gateway } from './gateway.js';
import { buildSites } from './sites.js';
import type { Logger } from './log/logger.js';

export interface RunningGateway {
  /** The one site's gateway; with several sites, the first of `gateways`. */
  gateway: Gateway;
  gateways: Gateway[];
  server: Server;
  url: string;
  /**
   * Stops accepting connections, lets requests in flight finish for up to `graceMs` (then cuts
   * what is left), and releases the gateway (Redis, caches). 0 (tests) cuts at once.
   */
  close(graceMs?: number): Promise<void>;
}

/** Builds the gateway for `frappeUrl` and listens. Port 0 picks a free port (tests). */
export async function startGateway(config: Config, logger: Logger, frappeUrl: string): Promise<RunningGateway> {
  const { host, port } = config.server;
  const server = createServer({ IncomingMessage: LaneRequest, ServerResponse: LaneResponse });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  // The public URL defaults to the listening address, known only after listen when port is 0.
  const actualPort = (server.address() as AddressInfo).port;
  let gateways: Gateway[];
  let listener: (req: IncomingMessage, res: ServerResponse) => void;
  let closeAll: () => Promise<void>;
  if (config.sites) {
    const sites = buildSites(config, logger, actualPort);
    listener = sites.listener;
    gateways = sites.gateways;
    closeAll = () => sites.close();
  } else {
    const gateway = buildGateway(config, logger, frappeUrl, actualPort);
    listener = createApp(gateway);
    gateways = [gateway];
    closeAll = () => gateway.close();
  }
  let draining = false;
  server.on('request', (req, res) => {
    // A request that arrives on a kept-alive connection while draining is still served, but the
    // client is told to reconnect (to another replica) for the next one.
    if (draining) res.setHeader('Connection', 'close');
    listener(req, res);
  });
  server.keepAliveTimeout = 65_000;
  let closing: Promise<void> | undefined;
  return {
    gateway: gateways[0]!,
    gateways,
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    close: (graceMs = 0) =>
      (closing ??= new Promise<void>((resolve) => {
        draining = true;
        // A request in flight when draining began leaves a kept-alive connection behind; Node arms
        // this timeout when its answer is out, so the connection closes then instead of holding
        // server.close() for a minute (no per-request listener on the hot path).
        server.keepAliveTimeout = 1;
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(cut);
          closeAll().then(resolve, resolve);
        });
        // Idle kept-alive connections would otherwise hold close() until their timeout.
        server.closeIdleConnections();
        if (graceMs <= 0) server.closeAllConnections();
      })),
  };
}
