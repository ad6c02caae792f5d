import { setMaxListeners } from 'node:events';
import express, { type Express, type Request, type Response } from 'express';
import { hostCheck } from './host-check';
import { type ListeningEmulator, listenEmulator } from './http-server';
import { type Channel, type EmulatorPeers, mountPlayground } from './playground';

/** How an emulator is started (`startTelegramEmulator`, `startZaloEmulator`). */
export interface EmulatorOptions {
  /** 0: a random free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Host names served besides loopback and `host` (others are answered 421). */
  allowedHosts?: readonly string[];
  /** The other emulators, for the playground's channel switch. */
  peers?: EmulatorPeers;
}

export interface EmulatorSetup {
  channel: Channel;
  /** Forgotten on close, after the long polls and webhook retries ended. */
  state: { reset(): void };
  /**
   * Adds the platform's routes (control API, Bot API, files) after the Host check and the
   * playground and before the final 404; `closing` fires when the emulator closes.
   */
  mount(app: Express, closing: AbortSignal): void;
}

/**
 * One emulator process's HTTP side, the same for every platform: the Host check, the playground,
 * the platform's routes, `{ ok: false, error_code: 404 }` for anything else, and a close that
 * ends long polls and webhook retries before the sockets.
 */
export async function startEmulator(
  options: EmulatorOptions,
  setup: EmulatorSetup,
): Promise<ListeningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const closing = new AbortController();
  // Every open exchange listens for the close: many at once is normal, not a leak.
  setMaxListeners(0, closing.signal);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(hostCheck(host, options.allowedHosts));
  mountPlayground(app, { channel: setup.channel, ...(options.peers ? { peers: options.peers } : {}) });
  setup.mount(app, closing.signal);
  app.use((_request: Request, response: Response) => {
    response.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
  });

  return listenEmulator(app, { port: options.port, host }, () => {
    // Ends long polls and webhook retries first so their sockets can close.
    closing.abort();
    setup.state.reset();
  });
}
