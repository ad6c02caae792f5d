import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listeningAddresses } from './listening';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(host: string): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as { port: number }).port;
}

describe('listeningAddresses (/proc/net/tcp, tcp6)', () => {
  it('names the loopback, wildcard and IPv6 addresses a port listens on', async () => {
    expect(await listeningAddresses(await listen('127.0.0.1'))).toEqual(['127.0.0.1']);
    expect(await listeningAddresses(await listen('0.0.0.0'))).toEqual(['0.0.0.0']);
    expect(await listeningAddresses(await listen('::1'))).toEqual(['::1']);
    // Node listens on '::' (dual stack) when no host is given.
    expect(await listeningAddresses(await listen('::'))).toEqual(['::']);
  });

  it('finds nothing on a port nobody listens on', async () => {
    const port = await listen('127.0.0.1');
    await new Promise((resolve) => servers.pop()?.close(resolve));
    expect(await listeningAddresses(port)).toEqual([]);
  });
});
