import { randomBytes } from 'node:crypto';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDraft } from '../conversation/draft';
import { createBotRedis } from '../redis';
import { waitForReady } from '../testing/test-bot';
import { createDraftStorage, createPhotoStore, draftKeyName, photoKeyName } from './draft-store';

const redis = createBotRedis('redis://127.0.0.1:6379');
const prefix = createTestRedisPrefix();
const draftKey = new Uint8Array(randomBytes(32));

beforeAll(() => waitForReady(redis));
afterAll(async () => {
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
});

describe('encrypted draft storage', () => {
  const storage = createDraftStorage({ redis, redisPrefix: prefix, draftKey });

  it('round-trips a draft, stores no plaintext and expires in 24 hours', async () => {
    const draft = { ...emptyDraft(), step: 'photos' as const, description: 'MARKER-store-1' };
    await storage.write('chat-a', draft);
    expect(await storage.read('chat-a')).toEqual(draft);
    const raw = await redis.getBuffer(draftKeyName(prefix, 'chat-a'));
    expect(raw?.includes(Buffer.from('MARKER-store-1'))).toBe(false);
    expect(await redis.ttl(draftKeyName(prefix, 'chat-a'))).toBeGreaterThan(86_000);
    await storage.delete('chat-a');
    expect(await storage.read('chat-a')).toBeUndefined();
  });

  it('reads a value moved to another chat, tampered or sealed with another key as no draft', async () => {
    await storage.write('chat-b', { ...emptyDraft(), step: 'when' });
    const raw = (await redis.getBuffer(draftKeyName(prefix, 'chat-b')))!;
    await redis.set(draftKeyName(prefix, 'chat-c'), raw);
    expect(await storage.read('chat-c')).toBeUndefined();
    raw[raw.length - 1] = (raw.at(-1) ?? 0) ^ 1;
    await redis.set(draftKeyName(prefix, 'chat-b'), raw);
    expect(await storage.read('chat-b')).toBeUndefined();
    const other = createDraftStorage({ redis, redisPrefix: prefix, draftKey: new Uint8Array(32) });
    await storage.write('chat-d', emptyDraft());
    expect(await other.read('chat-d')).toBeUndefined();
    await redis.set(draftKeyName(prefix, 'chat-e'), 'garbage');
    expect(await storage.read('chat-e')).toBeUndefined();
  });

  it('keeps photo bytes encrypted too', async () => {
    const photos = createPhotoStore({ redis, redisPrefix: prefix, draftKey });
    const id = '6f1c8a52-3b8e-4f53-9d2a-1a2b3c4d5e6f';
    const bytes = new Uint8Array(Buffer.from('JPEG-MARKER-bytes'));
    await photos.put(id, bytes);
    expect(await photos.get(id)).toEqual(bytes);
    expect((await redis.getBuffer(photoKeyName(prefix, id)))?.includes(Buffer.from('JPEG-MARKER'))).toBe(
      false,
    );
    await photos.delete([id]);
    expect(await photos.get(id)).toBeUndefined();
  });
});
