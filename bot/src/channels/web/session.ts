import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The web form's only cookie holds an opaque random draft id with a MAC, so an id TinBao
 * never issued is known at once; every form carries a CSRF token bound to that id. Both
 * are keyed by a key derived from the bot's draft key: no server-side session table.
 */
export interface WebSessions {
  /** A fresh draft id and the cookie value that carries it. */
  issue(): { draftId: string; cookie: string };
  /** The draft id in a cookie value, or undefined when TinBao did not issue it. */
  open(cookie: string | undefined): string | undefined;
  csrfToken(draftId: string): string;
  checkCsrf(draftId: string, token: unknown): boolean;
}

const ID_BYTES = 16;

export function createWebSessions(draftKey: Uint8Array): WebSessions {
  const key = Buffer.from(hkdfSync('sha256', draftKey, Buffer.alloc(0), 'tinbao web form session', 32));
  const mac = (purpose: string, draftId: string) =>
    createHmac('sha256', key)
      .update(`${purpose}\u0000${draftId}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  const equal = (given: string, expected: string) => {
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  return {
    issue() {
      const draftId = randomBytes(ID_BYTES).toString('base64url');
      return { draftId, cookie: `${draftId}.${mac('cookie', draftId)}` };
    },
    open(cookie) {
      const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(cookie ?? '');
      if (!match?.[1] || !match[2]) return undefined;
      return equal(match[2], mac('cookie', match[1])) ? match[1] : undefined;
    },
    csrfToken: (draftId) => mac('csrf', draftId),
    checkCsrf: (draftId, token) => typeof token === 'string' && equal(token, mac('csrf', draftId)),
  };
}
