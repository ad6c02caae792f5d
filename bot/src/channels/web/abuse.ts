import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Abuse limits without identity, in memory only (never written to Redis, disk or logs).
 * Addresses are kept as keyed hashes under a key made at start-up, so even this process's
 * memory holds no address in the clear. Behind a reverse proxy or an onion service every
 * visitor may share one address: the limits are generous and a flood slows new drafts
 * down (a short wait) instead of refusing anyone.
 */
export interface AbuseLimits {
  /** Requests per address per minute before a "too many requests" page. */
  requestsPerMinute: number;
  /** New drafts per address per 10 minutes before that address must wait for each new one. */
  draftsPerAddress: number;
  /** New drafts per minute from everyone before every new draft must wait. */
  draftsPerMinute: number;
  /** «Gửi» per address per hour. */
  submissionsPerHour: number;
  /** Receipt look-ups per address per 10 minutes. */
  lookupsPerAddress: number;
  /** How long a new draft waits while a flood is detected. */
  waitSeconds: number;
  /** Waits queue up per address; beyond this the resident is asked to come back later. */
  maxWaitSeconds: number;
}

export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  requestsPerMinute: 240,
  draftsPerAddress: 20,
  draftsPerMinute: 120,
  submissionsPerHour: 20,
  lookupsPerAddress: 30,
  waitSeconds: 10,
  maxWaitSeconds: 120,
};

export type StartVerdict =
  | { kind: 'ok' }
  | { kind: 'wait'; ticket: string; seconds: number }
  | { kind: 'busy'; seconds: number };

export interface AbuseGuard {
  /** One request from the address; false once it is over its rate. */
  request(address: string): boolean;
  /** Whether a new draft may start now (and counts it when it may). */
  startDraft(address: string, ticket?: string): StartVerdict;
  /** Seconds left on a slow-down ticket (0: it may be used now), undefined when not valid. */
  ticketWait(ticket: string): number | undefined;
  mayLookUp(address: string): boolean;
  maySubmit(address: string): boolean;
  countSubmission(address: string): void;
  /** Whether new drafts are being slowed down for this address right now. */
  flooded(address: string): boolean;
}

const MINUTE = 60_000;

/** Timestamps per key in a sliding window, each key's list capped: memory stays bounded. */
class WindowCounter {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly windowMs: number,
    private readonly cap: number,
    private readonly maxKeys = 50_000,
  ) {}

  count(key: string, now: number): number {
    const list = this.hits.get(key);
    if (!list) return 0;
    while (list.length > 0 && (list[0] ?? 0) <= now - this.windowMs) list.shift();
    if (list.length === 0) this.hits.delete(key);
    return list.length;
  }

  add(key: string, now: number): number {
    const count = this.count(key, now);
    const list = this.hits.get(key) ?? [];
    list.push(now);
    if (list.length > this.cap) list.shift();
    // Map order is insertion order: refresh the key, drop the stalest when too many.
    this.hits.delete(key);
    this.hits.set(key, list);
    if (this.hits.size > this.maxKeys) {
      const oldest = this.hits.keys().next().value;
      if (oldest !== undefined) this.hits.delete(oldest);
    }
    return count + 1;
  }
}

export function createAbuseGuard(
  limits: AbuseLimits = DEFAULT_ABUSE_LIMITS,
  now: () => number = Date.now,
): AbuseGuard {
  const key = randomBytes(32);
  const hashed = (address: string) =>
    createHmac('sha256', key).update(address).digest().subarray(0, 12).toString('base64url');
  const requests = new WindowCounter(MINUTE, limits.requestsPerMinute + 1);
  const drafts = new WindowCounter(10 * MINUTE, limits.draftsPerAddress + 1);
  const allDrafts = new WindowCounter(MINUTE, limits.draftsPerMinute + 1, 1);
  const submissions = new WindowCounter(60 * MINUTE, limits.submissionsPerHour + 1);
  const lookups = new WindowCounter(10 * MINUTE, limits.lookupsPerAddress + 1);
  const nextSlot = new Map<string, number>();
  const usedTickets = new Map<string, number>();

  const mac = (body: string) =>
    createHmac('sha256', key).update(body).digest().subarray(0, 16).toString('base64url');

  function parseTicket(ticket: string): { notBefore: number; expires: number; nonce: string } | undefined {
    const match = /^(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})$/.exec(ticket);
    if (!match?.[1] || !match[2] || !match[3] || !match[4]) return undefined;
    const expected = Buffer.from(mac(`${match[1]}.${match[2]}.${match[3]}`));
    const given = Buffer.from(match[4]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const parsed = { notBefore: Number(match[1]), expires: Number(match[2]), nonce: match[3] };
    if (parsed.expires < now() || usedTickets.has(parsed.nonce)) return undefined;
    return parsed;
  }

  function issueTicket(address: string): StartVerdict {
    const at = now();
    const slot = Math.max(at, nextSlot.get(address) ?? 0) + limits.waitSeconds * 1000;
    if (slot - at > limits.maxWaitSeconds * 1000)
      return { kind: 'busy', seconds: Math.ceil((slot - at - limits.maxWaitSeconds * 1000) / 1000) };
    nextSlot.set(address, slot);
    if (nextSlot.size > 50_000) {
      for (const [entry, time] of nextSlot) if (time < at) nextSlot.delete(entry);
    }
    const body = `${slot}.${slot + 10 * MINUTE}.${randomBytes(12).toString('base64url')}`;
    return { kind: 'wait', ticket: `${body}.${mac(body)}`, seconds: Math.ceil((slot - at) / 1000) };
  }

  function flooded(address: string): boolean {
    const at = now();
    return (
      drafts.count(address, at) >= limits.draftsPerAddress ||
      allDrafts.count('all', at) >= limits.draftsPerMinute
    );
  }

  return {
    request: (address) => requests.add(hashed(address), now()) <= limits.requestsPerMinute,
    startDraft(address, ticket) {
      const who = hashed(address);
      if (flooded(who)) {
        const parsed = ticket ? parseTicket(ticket) : undefined;
        if (!parsed) return issueTicket(who);
        if (parsed.notBefore > now())
          return {
            kind: 'wait',
            ticket: ticket ?? '',
            seconds: Math.ceil((parsed.notBefore - now()) / 1000),
          };
        usedTickets.set(parsed.nonce, parsed.expires);
        for (const [nonce, expires] of usedTickets) if (expires < now()) usedTickets.delete(nonce);
      }
      const at = now();
      drafts.add(who, at);
      allDrafts.add('all', at);
      return { kind: 'ok' };
    },
    ticketWait(ticket) {
      const parsed = parseTicket(ticket);
      return parsed ? Math.max(0, Math.ceil((parsed.notBefore - now()) / 1000)) : undefined;
    },
    mayLookUp: (address) => lookups.add(hashed(address), now()) <= limits.lookupsPerAddress,
    maySubmit: (address) => submissions.count(hashed(address), now()) < limits.submissionsPerHour,
    countSubmission: (address) => void submissions.add(hashed(address), now()),
    flooded: (address) => flooded(hashed(address)),
  };
}
