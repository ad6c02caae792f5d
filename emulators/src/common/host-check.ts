import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** The host name of a Host header: without the port, IPv6 without brackets, lower case. */
export function hostNameOf(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return value.slice(1, end === -1 ? undefined : end);
  }
  const colon = value.indexOf(':');
  // More than one colon without brackets: a bare IPv6 address (no port can follow).
  if (colon !== -1 && value.indexOf(':', colon + 1) !== -1) return value;
  return colon === -1 ? value : value.slice(0, colon);
}

function isLoopback(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1' || name === '::ffff:127.0.0.1';
}

/**
 * Serves only requests addressed to this machine by name: loopback names and addresses, the host
 * the emulator listens on, and `allowedHosts`; any other Host header is answered 421. The control
 * API has no authentication, so a web page on another origin must not reach it through DNS
 * rebinding. Listening on a wildcard address (0.0.0.0, ::) also admits any IP literal, which no
 * rebinding can produce.
 */
export function hostCheck(listenHost: string, allowedHosts: readonly string[] = []) {
  const allowed = new Set([hostNameOf(listenHost), ...allowedHosts.map(hostNameOf)]);
  const anyAddress = WILDCARD_HOSTS.has(listenHost);
  return (request: Request, response: Response, next: NextFunction) => {
    const name = hostNameOf(request.headers.host ?? '');
    if (name !== '' && (isLoopback(name) || allowed.has(name) || (anyAddress && isIP(name) !== 0))) {
      next();
      return;
    }
    response
      .status(421)
      .json({ ok: false, error_code: 421, description: 'Misdirected Request: unknown host' });
  };
}
