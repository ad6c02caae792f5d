import { type Argon2Cost, createArgon2Pool, type Logger, type StoreTipJob } from '@tinbao/shared';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ChannelAdapter } from './channels/port';
import { type Conversation, createConversation } from './conversation/engine';
import type { PlaceFinder } from './conversation/places';
import { createDraftStorage, createPhotoStore } from './drafts/draft-store';
import { createPseudonyms, type Pseudonyms } from './submission/pseudonyms';
import type { ReporterPepper } from './submission/reporter-pepper';
import type { StatusLookup } from './submission/status';
import type { SubmitDeps } from './submission/submit';

export interface GatewayDeps {
  /** Fails fast while Redis is down: rate limits, intake records, the queue (persisted). */
  redis: Redis;
  /** Drafts and their photos: a Redis that keeps nothing on disk (the queue's Redis when absent, as in tests). */
  draftRedis?: Redis;
  redisPrefix: string;
  intakeQueue: Queue<StoreTipJob>;
  /** The organisation's PUBLIC key: the gateway seals tips but never opens them. */
  orgPublicKey: Uint8Array;
  relayPublicKey: Uint8Array;
  draftKey: Uint8Array;
  pepper: Uint8Array;
  /** The current period's pepper of the sealed "same reporter" pseudonym. */
  reporterPepper: ReporterPepper;
  /** argon2id cost of the pseudonyms: 'pseudonym' in production, 'test' only in tests. */
  pseudonymCost?: Argon2Cost;
  places: PlaceFinder;
  logger: Logger;
  statusLookup?: StatusLookup;
  webFormUrl?: string;
  onHandled?: (step: string, milliseconds: number) => void;
}

export interface Gateway {
  conversation: Conversation;
  pseudonyms: Pseudonyms;
  submit: SubmitDeps;
  /** Stops the argon2id threads. */
  close(): Promise<void>;
}

/** The intake gateway's core: one conversation engine that every channel adapter feeds. */
export function createGateway(deps: GatewayDeps): Gateway {
  const crypto = {
    redis: deps.draftRedis ?? deps.redis,
    redisPrefix: deps.redisPrefix,
    draftKey: deps.draftKey,
  };
  const argon2 = createArgon2Pool();
  const pseudonyms = createPseudonyms({
    pepper: deps.pepper,
    pool: argon2,
    cost: deps.pseudonymCost ?? 'pseudonym',
    reporterPepper: deps.reporterPepper,
  });
  const photos = createPhotoStore(crypto);
  const submit: SubmitDeps = {
    redis: deps.redis,
    volatileRedis: deps.draftRedis ?? deps.redis,
    redisPrefix: deps.redisPrefix,
    intakeQueue: deps.intakeQueue,
    orgPublicKey: deps.orgPublicKey,
    relayPublicKey: deps.relayPublicKey,
    pseudonyms,
    photos,
  };
  const conversation = createConversation({
    drafts: createDraftStorage(crypto),
    photos,
    submit,
    places: deps.places,
    logger: deps.logger,
    ...(deps.statusLookup ? { statusLookup: deps.statusLookup } : {}),
    ...(deps.webFormUrl ? { webFormUrl: deps.webFormUrl } : {}),
    ...(deps.onHandled ? { onHandled: deps.onHandled } : {}),
  });
  return { conversation, pseudonyms, submit, close: () => argon2.close() };
}

/** Starts each adapter with the conversation as its event handler. */
export async function startChannels(
  adapters: readonly ChannelAdapter[],
  conversation: Conversation,
): Promise<void> {
  for (const adapter of adapters) {
    await adapter.start((event, deliver) =>
      conversation.handle(event.resident, adapter.caps, event.input, deliver),
    );
  }
}
