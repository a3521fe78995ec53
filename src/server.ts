import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/load.js';
import { createApp } from './http/app.js';
import { buildGateway, type Gateway } from './gateway.js';
import { buildSites } from './sites.js';
import type { Logger } from './log/logger.js';

export interface RunningGateway {
  /** The one site's gateway; with several sites, the first of `gateways`. */
  gateway: Gateway;
  gateways: Gateway[];
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Builds the gateway for `frappeUrl` and listens. Port 0 picks a free port (tests). */
export async function startGateway(config: Config, logger: Logger, frappeUrl: string): Promise<RunningGateway> {
  const { host, port } = config.server;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  // The public URL defaults to the listening address, known only after listen when port is 0.
  const actualPort = (server.address() as AddressInfo).port;
  let gateways: Gateway[];
  let closeAll: () => Promise<void>;
  if (config.sites) {
    const sites = buildSites(config, logger, actualPort);
    server.on('request', sites.listener);
    gateways = sites.gateways;
    closeAll = () => sites.close();
  } else {
    const gateway = buildGateway(config, logger, frappeUrl, actualPort);
    server.on('request', createApp(gateway));
    gateways = [gateway];
    closeAll = () => Promise.resolve(gateway.close());
  }
  server.keepAliveTimeout = 65_000;
  return {
    gateway: gateways[0]!,
    gateways,
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        void closeAll();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
