import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';

export type Channel = 'telegram' | 'zalo';

/**
 * The base URLs of the other emulators started beside this one (main.ts fills it in once they
 * listen; it is read on every request). Without a peer the playground hides its channel switch.
 */
export type EmulatorPeers = Partial<Record<Channel, string>>;

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

/**
 * The web chat at /playground (the same files on every emulator; `<html data-channel>` tells the
 * page which platform it plays) and /_emulator/peers, which tells it where the other channels are.
 */
export function mountPlayground(app: Express, options: { channel: Channel; peers?: EmulatorPeers }): void {
  const page = readFileSync(`${PUBLIC_DIR}playground.html`, 'utf8').replace(
    '<html lang="vi">',
    `<html lang="vi" data-channel="${options.channel}">`,
  );

  app.get('/_emulator/peers', (_request: Request, response: Response) => {
    const peers = Object.fromEntries(
      Object.entries(options.peers ?? {}).filter(
        ([channel, url]) => channel !== options.channel && typeof url === 'string',
      ),
    );
    response.json({ ok: true, result: { channel: options.channel, peers } });
  });

  app.get(['/', '/playground', '/playground/'], (request: Request, response: Response) => {
    if (request.path === '/') {
      response.redirect('/playground');
      return;
    }
    response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    response.type('html').send(page);
  });
  app.use('/playground', express.static(PUBLIC_DIR, { index: false }));
}
