import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface ListeningEmulator {
  /** http://<host>:<port>; the Bot API root of the emulator. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on `port` (0: a random free port) and `host`; `close` runs `beforeClose` first (it ends
 * long polls and webhook retries so their sockets can close), then closes every connection.
 */
export async function listenEmulator(
  app: Express,
  options: { port: number; host: string },
  beforeClose: () => void,
): Promise<ListeningEmulator> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closed = false;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      if (closed) return;
      closed = true;
      beforeClose();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 200).unref();
      });
    },
  };
}
