import { randomBytes } from 'node:crypto';
import { getSodium } from '@tinbao/shared/crypto/sodium';
import type { Redis } from 'ioredis';
import { type Draft, DraftSchema } from '../conversation/draft';

/** Drafts (and their photos) expire 24 hours after the resident's last step. */
export const DRAFT_TTL_SECONDS = 24 * 3600;
const NONCE_BYTES = 24;
const FORMAT = 1;

export interface DraftCrypto {
  redis: Redis;
  redisPrefix: string;
  /** 32-byte secret only the bot holds. */
  draftKey: Uint8Array;
}

export const draftKeyName = (prefix: string, chatKey: string) => `${prefix}:bot:draft:${chatKey}`;
export const photoKeyName = (prefix: string, photoId: string) => `${prefix}:bot:photo:${photoId}`;

/**
 * XChaCha20-Poly1305 under the bot's draft key; the Redis key name is the associated data,
 * so a value copied under another chat's key does not open. Layout: format:u8 | nonce:24 | ciphertext.
 */
export async function encryptValue(key: Uint8Array, keyName: string, plaintext: Uint8Array): Promise<Buffer> {
  const sodium = await getSodium();
  const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, keyName, null, nonce, key);
  return Buffer.concat([Buffer.from([FORMAT]), nonce, ciphertext]);
}

/** Opens a value written by encryptValue; undefined when it does not authenticate. */
export async function decryptValue(
  key: Uint8Array,
  keyName: string,
  stored: Buffer,
): Promise<Uint8Array | undefined> {
  if (stored.length < 1 + NONCE_BYTES + 16 || stored[0] !== FORMAT) return undefined;
  const sodium = await getSodium();
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      stored.subarray(1 + NONCE_BYTES),
      keyName,
      stored.subarray(1, 1 + NONCE_BYTES),
      key,
    );
  } catch {
    return undefined;
  }
}

/** Where drafts wait between a resident's messages, named by the chat's pseudonym. */
export interface DraftStorage {
  read(chatKey: string): Promise<Draft | undefined>;
  write(chatKey: string, draft: Draft): Promise<void>;
  delete(chatKey: string): Promise<void>;
}

/**
 * Drafts in Redis: encrypted, keyed by the chat's pseudonym, 24-hour TTL. A value that does
 * not decrypt or validate reads as "no draft".
 */
export function createDraftStorage(deps: DraftCrypto): DraftStorage {
  return {
    async read(chatKey) {
      const name = draftKeyName(deps.redisPrefix, chatKey);
      const stored = await deps.redis.getBuffer(name);
      if (!stored) return undefined;
      const plaintext = await decryptValue(deps.draftKey, name, stored);
      if (!plaintext) return undefined;
      try {
        const parsed = DraftSchema.safeParse(JSON.parse(Buffer.from(plaintext).toString('utf8')));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    async write(chatKey, draft) {
      const name = draftKeyName(deps.redisPrefix, chatKey);
      const value = await encryptValue(deps.draftKey, name, Buffer.from(JSON.stringify(draft), 'utf8'));
      if (draft.photos.length === 0) {
        await deps.redis.set(name, value, 'EX', DRAFT_TTL_SECONDS);
        return;
      }
      // The draft's photos live as long as the draft itself: both expire 24 h after the last step.
      const transaction = deps.redis.multi().set(name, value, 'EX', DRAFT_TTL_SECONDS);
      for (const photo of draft.photos) {
        transaction.expire(photoKeyName(deps.redisPrefix, photo.id), DRAFT_TTL_SECONDS);
      }
      await transaction.exec();
    },
    async delete(chatKey) {
      await deps.redis.del(draftKeyName(deps.redisPrefix, chatKey));
    },
  };
}

/** Re-encoded photo bytes of drafts, encrypted like the drafts, under their own keys. */
export interface PhotoStore {
  put(photoId: string, jpeg: Uint8Array): Promise<void>;
  get(photoId: string): Promise<Uint8Array | undefined>;
  delete(photoIds: string[]): Promise<void>;
}

export function createPhotoStore(deps: DraftCrypto): PhotoStore {
  return {
    async put(photoId, jpeg) {
      const name = photoKeyName(deps.redisPrefix, photoId);
      await deps.redis.set(name, await encryptValue(deps.draftKey, name, jpeg), 'EX', DRAFT_TTL_SECONDS);
    },
    async get(photoId) {
      const name = photoKeyName(deps.redisPrefix, photoId);
      const stored = await deps.redis.getBuffer(name);
      return stored ? decryptValue(deps.draftKey, name, stored) : undefined;
    },
    async delete(photoIds) {
      if (photoIds.length === 0) return;
      await deps.redis.del(...photoIds.map((id) => photoKeyName(deps.redisPrefix, id)));
    },
  };
}
