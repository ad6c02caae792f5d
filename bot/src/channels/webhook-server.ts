import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/** Webhook bodies above this are refused (413): an update is a few kilobytes. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface WebhookServerOptions {
  port: number;
  host?: string;
  /** Only this path takes updates (the path of the public webhook URL). */
  path: string;
  secretHeader: string;
  secret: string;
  /** Handles one parsed body; the platform gets 200 once it resolves (or after `answerWithinMs`). */
  onBody(body: unknown): Promise<void>;
  answerWithinMs?: number;
}

/** Compares secrets in constant time (a length mismatch is refused without comparing). */
export function secretsEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total > MAX_WEBHOOK_BODY_BYTES) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A small HTTP server for a platform's webhook: POST on one path, the secret header checked
 * in constant time (401 otherwise, nothing handled), bodies bounded, malformed JSON a 400.
 */
export async function startWebhookServer(options: WebhookServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '').split('?')[0];
      if (path !== options.path) return response.writeHead(404).end();
      if (request.method !== 'POST') return response.writeHead(405).end();
      const header = request.headers[options.secretHeader.toLowerCase()];
      if (!secretsEqual(Array.isArray(header) ? header[0] : header, options.secret)) {
        request.resume();
        return response.writeHead(401).end();
      }
      const body = await readBody(request).catch(() => 'too_large' as const);
      if (body === 'too_large') return response.writeHead(413).end();
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return response.writeHead(400).end();
      }
      const handled = options.onBody(parsed).catch(() => {});
      const timeout = new Promise((resolve) => setTimeout(resolve, options.answerWithinMs ?? 10_000).unref());
      await Promise.race([handled, timeout]);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  return server;
}
