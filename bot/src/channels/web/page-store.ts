import type { Redis } from 'ioredis';
import { z } from 'zod';
import { DraftMenuSchema, StepSchema } from '../../conversation/draft';
import type { DeliveryContext } from '../../conversation/engine';
import type { Reply } from '../../conversation/types';
import { decryptValue, encryptValue } from '../../drafts/draft-store';
import type { Pseudonyms } from '../../submission/pseudonyms';

/**
 * The page a draft's last step produced, kept between the POST that made it and the GET
 * that shows it (post/redirect/get: reloading or going back never re-sends a form). It
 * holds the turn's texts (the summary carries the description), so it is stored like the
 * drafts: encrypted under the bot's draft key, named by a keyed hash of the draft id, and
 * it lives as long as the cookie.
 */
export const StoredPageSchema = z.object({
  replies: z.array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('text'), text: z.string() }),
      z.object({
        kind: z.literal('menu'),
        text: z.string(),
        seq: z.number().int(),
        options: z.array(z.object({ id: z.string(), label: z.string() })),
        columns: z.number().int().optional(),
      }),
      z.object({ kind: z.literal('retire-menu'), messageRef: z.string() }),
    ]),
  ),
  context: z.object({
    step: StepSchema,
    aside: z
      .enum(['cancel', 'located', 'add-text', 'candidate-description', 'answer-offer', 'answer'])
      .optional(),
    menu: DraftMenuSchema.optional(),
    photoCount: z.number().int().nonnegative(),
    receipt: z.string().optional(),
  }),
  /** A notice of the web layer itself, shown above the turn (a foreign form, a wait). */
  notice: z.string().optional(),
});
export type StoredPage = z.infer<typeof StoredPageSchema>;

export interface PageStore {
  read(draftId: string): Promise<StoredPage | undefined>;
  write(draftId: string, page: StoredPage): Promise<void>;
  delete(draftId: string): Promise<void>;
}

export function createPageStore(deps: {
  redis: Redis;
  redisPrefix: string;
  draftKey: Uint8Array;
  pseudonyms: Pseudonyms;
  ttlSeconds: number;
}): PageStore {
  const nameOf = async (draftId: string) =>
    `${deps.redisPrefix}:bot:web-page:${await deps.pseudonyms.of('web-page', draftId)}`;
  return {
    async read(draftId) {
      const name = await nameOf(draftId);
      const stored = await deps.redis.getBuffer(name);
      if (!stored) return undefined;
      const plaintext = await decryptValue(deps.draftKey, name, stored);
      if (!plaintext) return undefined;
      try {
        const parsed = StoredPageSchema.safeParse(JSON.parse(Buffer.from(plaintext).toString('utf8')));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    async write(draftId, page) {
      const name = await nameOf(draftId);
      const value = await encryptValue(deps.draftKey, name, Buffer.from(JSON.stringify(page), 'utf8'));
      await deps.redis.set(name, value, 'EX', deps.ttlSeconds);
    },
    async delete(draftId) {
      await deps.redis.del(await nameOf(draftId));
    },
  };
}

export const pageOf = (replies: Reply[], context: DeliveryContext, notice?: string): StoredPage => ({
  replies,
  context,
  ...(notice ? { notice } : {}),
});
