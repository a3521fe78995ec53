import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/load.js';
import { createApp } from './http/app.js';
import { buildGateway, type Gateway } from './gateway.js';
import type { Logger } from './log/logger.js';

export interface RunningGateway {
  gateway: Gateway;
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
  const gateway = buildGateway(config, logger, frappeUrl, actualPort);
  server.on('request', createApp(gateway));
  server.keepAliveTimeout = 65_000;
  return {
    gateway,
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        gateway.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
