import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startTelegramEmulator } from '../telegram/server';
import { hostNameOf } from './host-check';
import type { EmulatorPeers } from './playground';

const statusWithHost = (url: string, host: string, path: string) =>
  new Promise<number>((resolve, reject) => {
    const { port } = new URL(url);
    request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });

describe('the Host check of the emulators', () => {
  it('reads the host name of a Host header', () => {
    expect(hostNameOf('127.0.0.1:8081')).toBe('127.0.0.1');
    expect(hostNameOf('LocalHost')).toBe('localhost');
    expect(hostNameOf('[::1]:8082')).toBe('::1');
    expect(hostNameOf('::1')).toBe('::1');
    expect(hostNameOf('')).toBe('');
  });

  it('the Telegram emulator answers 421 to an unknown Host, and names its peers for the playground', async () => {
    const peers: EmulatorPeers = {};
    const emulator = await startTelegramEmulator({ port: 0, peers });
    try {
      expect(await statusWithHost(emulator.url, 'rebound.example', '/_emulator/status')).toBe(421);
      expect(await statusWithHost(emulator.url, `localhost:${emulator.port}`, '/_emulator/status')).toBe(200);
      // main.ts fills the peers in once every emulator listens; they are read per request.
      peers.zalo = 'http://127.0.0.1:8082';
      peers.telegram = emulator.url;
      const answer = await fetch(`${emulator.url}/_emulator/peers`).then((response) => response.json());
      expect(answer).toEqual({
        ok: true,
        result: { channel: 'telegram', peers: { zalo: 'http://127.0.0.1:8082' } },
      });
    } finally {
      await emulator.close();
    }
  });
});
