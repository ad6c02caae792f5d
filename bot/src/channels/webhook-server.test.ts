import { request } from 'node:http';
import { freePort, listeningAddresses } from '@tinbao/shared/testing/listening';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_BODY_BYTES, startWebhookServer } from './webhook-server';

const SECRET = 'webhook-secret-0123456789';

/** A raw POST (fetch would refuse some of these bodies); resolves with the status or the socket error. */
function post(port: number, body: Buffer | string, headers: Record<string, string> = {}) {
  return new Promise<number | string>((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/hook',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-secret': SECRET, ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(body);
  });
}

describe('the webhook server', () => {
  let port: number;
  let server: Awaited<ReturnType<typeof startWebhookServer>>;
  const bodies: unknown[] = [];

  beforeAll(async () => {
    port = await freePort();
    server = await startWebhookServer({
      port,
      path: '/hook',
      secretHeader: 'X-Secret',
      secret: SECRET,
      onBody: async (body) => {
        bodies.push(body);
      },
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('listens on 127.0.0.1 only when no host is given', async () => {
    expect(await listeningAddresses(port)).toEqual(['127.0.0.1']);
  });

  it('answers malformed JSON with 400, an oversized body with 413, and keeps serving', async () => {
    expect(await post(port, '{"update_id":')).toBe(400);
    expect(await post(port, Buffer.from([0xff, 0xfe, 0x00]))).toBe(400);
    // Announced too large: refused before reading.
    expect(await post(port, Buffer.alloc(MAX_WEBHOOK_BODY_BYTES + 1, 0x20))).toBe(413);
    // Streamed without a length, found too large while reading.
    expect(
      await post(port, Buffer.alloc(MAX_WEBHOOK_BODY_BYTES + 1, 0x20), { 'transfer-encoding': 'chunked' }),
    ).toBe(413);
    expect(await post(port, '{"update_id":1}', { 'x-secret': 'wrong-secret-000000000' })).toBe(401);
    expect(bodies).toEqual([]);
    expect(await post(port, '{"update_id":2}')).toBe(200);
    expect(bodies).toEqual([{ update_id: 2 }]);
  });
});
