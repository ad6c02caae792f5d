import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The addresses this machine listens on for a TCP port, read from /proc/net/tcp and tcp6 as
 * `ss -ltn` does: `['127.0.0.1']`, `['::']`, `['0.0.0.0', '::1']`… Linux only. Tests use it to
 * check where a server really listens, not what it was asked to.
 */
export async function listeningAddresses(port: number): Promise<string[]> {
  const found: string[] = [];
  for (const [file, decode] of [
    ['/proc/net/tcp', decodeIpv4],
    ['/proc/net/tcp6', decodeIpv6],
  ] as const) {
    let table: string;
    try {
      table = await readFile(file, 'utf8');
    } catch {
      continue; // no IPv6 on this machine
    }
    for (const line of table.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      // State 0A is LISTEN.
      if (!local || state !== '0A') continue;
      const [address, hexPort] = local.split(':');
      if (address && hexPort && Number.parseInt(hexPort, 16) === port) found.push(decode(address));
    }
  }
  return found.sort();
}

// The kernel prints each 32-bit word of an address in host byte order (little-endian here).
const wordBytes = (hex: string) =>
  (hex.match(/../g) ?? []).map((byte) => Number.parseInt(byte, 16)).reverse();

function decodeIpv4(hex: string): string {
  return wordBytes(hex).join('.');
}

function decodeIpv6(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap(wordBytes);
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  // Shortest form for the cases tests meet: all zeros, loopback, or written out.
  const joined = groups.join(':');
  if (joined === '0:0:0:0:0:0:0:0') return '::';
  if (joined === '0:0:0:0:0:0:0:1') return '::1';
  return joined;
}
