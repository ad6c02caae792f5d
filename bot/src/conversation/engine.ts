import { randomUUID } from 'node:crypto';
import type { Logger } from '@tinbao/shared';
import type { DraftStorage, PhotoStore } from '../drafts/draft-store';
import { errorSummary } from '../errors';
import { PhotoError, reencodePhoto } from '../photos/reencode';
import { ensureAnswerId, isAnswerLimited, submitAnswer } from '../submission/answer';
import { isStatusLookupLimited, type StatusLookup, statusResidentScope } from '../submission/status';
import {
  ensurePending,
  isRateLimited,
  type Resident,
  type SubmitDeps,
  submitDraft,
} from '../submission/submit';
import { type Aside, type Draft, type DraftMenu, emptyDraft, isBlank, type Step } from './draft';
import { type FlowEnv, step, type Turn } from './flow';
import { TEXT } from './messages';
import type { PlaceFinder } from './places';
import type { ChannelCapabilities, Effect, EffectResult, Reply, ResidentInput } from './types';

/** What an adapter reports after sending a turn's replies. */
export interface Delivery {
  /** The channel's reference to the last message that carried a menu (Telegram: its message id). */
  lastMenuRef?: string;
}

/**
 * Where a turn leaves the resident, for channels that draw the whole step at once (the web
 * form shows the step's fields and its current menu even when the turn's replies do not).
 */
export interface DeliveryContext {
  step: Step;
  aside?: Aside['kind'];
  /** The menu an answer must name now (its seq, option ids and labels). */
  menu?: DraftMenu;
  photoCount: number;
  /** The receipt of a stored tip, while it waits to reach the resident. */
  receipt?: string;
}

/**
 * Sends a turn's replies to the resident; throws when the channel refused or failed. The
 * context is absent only for the engine's own failure notice.
 */
export type Deliver = (replies: Reply[], context?: DeliveryContext) => Promise<Delivery>;

export interface ConversationDeps {
  drafts: DraftStorage;
  photos: PhotoStore;
  submit: SubmitDeps;
  places: PlaceFinder;
  /** The API's public receipt status; without it the resident is told it is coming. */
  statusLookup?: StatusLookup;
  webFormUrl?: string;
  logger: Logger;
  /** Called after each input with the step it arrived in and the handling time (bench). */
  onHandled?: (step: string, milliseconds: number) => void;
}

export interface Conversation {
  /**
   * Handles one input of one resident: loads the draft, runs the flow and its effects,
   * saves the draft, then delivers the replies. Inputs of one chat run strictly in order.
   */
  handle(who: Resident, caps: ChannelCapabilities, input: ResidentInput, deliver: Deliver): Promise<void>;
  /** Chats being handled right now (bench: stays bounded). */
  activeChats(): number;
}

/**
 * The channel-agnostic engine around the pure flow: per-chat ordering, the encrypted draft
 * (named by a keyed hash of the chat), effects, and the receipt kept until delivered.
 */
export function createConversation(deps: ConversationDeps): Conversation {
  // One promise chain per chat, in memory only; removed when the chat's queue is empty.
  const chains = new Map<string, Promise<void>>();

  function serialised(key: string, work: () => Promise<void>): Promise<void> {
    const previous = chains.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    chains.set(key, next);
    void next.finally(() => {
      if (chains.get(key) === next) chains.delete(key);
    });
    return next;
  }

  async function run(who: Resident, caps: ChannelCapabilities, input: ResidentInput, deliver: Deliver) {
    const started = performance.now();
    let stepAtEntry = 'unknown';
    const env: FlowEnv = {
      caps,
      places: deps.places,
      ...(deps.webFormUrl ? { webFormUrl: deps.webFormUrl } : {}),
    };
    let draftKey: string;
    let turn: Turn;
    const replies: Reply[] = [];
    try {
      draftKey = await deps.submit.pseudonyms.of(`${who.scope}-chat`, who.chatId);
      const stored = (await deps.drafts.read(draftKey)) ?? emptyDraft();
      stepAtEntry = stored.step;
      turn = step(stored, isOlderForm(stored, input) ? { kind: 'stale-choice' } : input, env);
      replies.push(...turn.replies);
      // Effects may lead to more effects (a result that asks for more): run until none is left.
      let effects = turn.effects;
      while (effects.length > 0) {
        const pending = effects;
        effects = [];
        for (const effect of pending) {
          const result = await runEffect(effect, turn.draft, draftKey, who);
          if (!result) continue;
          const next = step(turn.draft, result, env);
          turn = { ...next, done: Boolean(turn.done || next.done) };
          replies.push(...next.replies);
          effects.push(...next.effects);
        }
      }
      await save(draftKey, turn.draft);
    } catch (error) {
      deps.logger.warn(
        { channel: who.channel, step: stepAtEntry, err: errorSummary(error) },
        'conversation step failed',
      );
      await deliver([{ kind: 'text', text: TEXT.tryAgainLater }]).catch(() => {});
      deps.onHandled?.(stepAtEntry, performance.now() - started);
      return;
    }

    let delivery: Delivery;
    try {
      delivery = await deliver(replies, contextOf(turn.draft));
    } catch (error) {
      // The draft (and any receipt in it) is saved: the next message shows it again.
      deps.logger.warn({ channel: who.channel, err: errorSummary(error) }, 'replies not delivered');
      deps.onHandled?.(stepAtEntry, performance.now() - started);
      return;
    }
    try {
      const draft = turn.draft;
      const menuRef = draft.step === 'summary' && draft.menu ? delivery.lastMenuRef : undefined;
      if (draft.receipt || (menuRef && draft.menu)) {
        const after = draft.receipt ? step(draft, { kind: 'delivered' }, env).draft : draft;
        if (menuRef && after.menu) after.menu.messageRef = menuRef;
        await save(draftKey, after);
      }
    } catch (error) {
      deps.logger.warn(
        { channel: who.channel, err: errorSummary(error) },
        'draft not updated after delivery',
      );
    }
    deps.onHandled?.(stepAtEntry, performance.now() - started);
  }

  async function save(draftKey: string, draft: Draft): Promise<void> {
    if (isBlank(draft) && !draft.menu?.messageRef) await deps.drafts.delete(draftKey);
    else await deps.drafts.write(draftKey, draft);
  }

  async function runEffect(
    effect: Effect,
    draft: Draft,
    draftKey: string,
    who: Resident,
  ): Promise<EffectResult | undefined> {
    switch (effect.kind) {
      case 'delete-photos':
        await deps.photos.delete(effect.ids);
        return undefined;
      case 'store-photo':
        try {
          const photo = await reencodePhoto(await effect.source.fetch());
          const id = randomUUID();
          await deps.photos.put(id, photo.jpeg);
          return {
            kind: 'photo-stored',
            photo: { id, width: photo.width, height: photo.height },
            ...(effect.caption ? { caption: effect.caption } : {}),
          };
        } catch (error) {
          if (!(error instanceof PhotoError)) throw error;
          deps.logger.info({ channel: who.channel, problem: error.problem }, 'photo rejected');
          return { kind: 'photo-failed', problem: error.problem };
        }
      case 'submit': {
        if (await isRateLimited(deps.submit, who)) return { kind: 'submit-refused', reason: 'rate_limited' };
        if (!draft.pending) {
          // Saved before the first attempt: a retry after a failure reuses the same tip id.
          ensurePending(draft);
          await deps.drafts.write(draftKey, draft);
        }
        const outcome = await submitDraft(deps.submit, draft, who);
        if (outcome.kind === 'rate_limited') return { kind: 'submit-refused', reason: 'rate_limited' };
        if (outcome.kind === 'invalid') {
          deps.logger.warn({ channel: who.channel, problem: outcome.problem }, 'draft failed validation');
          return { kind: 'submit-refused', reason: 'invalid' };
        }
        deps.logger.info({ channel: who.channel, tipId: draft.pending?.tipId }, 'tip submitted');
        return { kind: 'submitted', receiptCode: outcome.receiptCode };
      }
      case 'lookup-status': {
        if (!deps.statusLookup)
          return {
            kind: 'status-result',
            receiptCode: effect.receiptCode,
            result: { kind: 'not_configured' },
          };
        const limiter = {
          redis: deps.submit.volatileRedis,
          redisPrefix: deps.submit.redisPrefix,
          pseudonyms: deps.submit.pseudonyms,
        };
        if (await isStatusLookupLimited(limiter, who)) return { kind: 'status-limited' };
        // The API limits by this keyed hash instead of the bot's IP, which every resident shares.
        const result = await deps.statusLookup(effect.receiptCode, {
          resident: await deps.submit.pseudonyms.hard(statusResidentScope(who), who.userId),
        });
        deps.logger.info({ channel: who.channel, result: result.kind }, 'receipt status looked up');
        return { kind: 'status-result', receiptCode: effect.receiptCode, result };
      }
      case 'submit-answer': {
        const aside = draft.aside;
        if (aside?.kind !== 'answer') return { kind: 'answer-refused', reason: 'not_open' };
        const statusId = await deps.submit.pseudonyms.hard(statusResidentScope(who), who.userId);
        if (await isAnswerLimited(deps.submit, statusId))
          return { kind: 'answer-refused', reason: 'rate_limited' };
        // Still open? Withdrawn or answered meanwhile: say so now (intake would refuse it anyway).
        if (deps.statusLookup && !aside.answerId) {
          const now = await deps.statusLookup(aside.receiptCode, { resident: statusId });
          if (now.kind === 'found' && !now.questions?.some((question) => question.id === aside.questionId))
            return { kind: 'answer-refused', reason: 'not_open' };
        }
        if (!aside.answerId) {
          // Saved before the first attempt: a retry after a failure sends the same answer id.
          ensureAnswerId(aside);
          await deps.drafts.write(draftKey, draft);
        }
        await submitAnswer(deps.submit, aside, effect.text);
        // Ids only: never the text, the question or the chat.
        deps.logger.info({ channel: who.channel, answerId: aside.answerId }, 'answer submitted');
        return { kind: 'answer-sent' };
      }
    }
  }

  return {
    handle(who, caps, input, deliver) {
      return serialised(`${who.channel}\u0000${who.chatId}`, () => run(who, caps, input, deliver));
    },
    activeChats: () => chains.size,
  };
}

/**
 * A text or photo sent from a page (a web form names its menu) whose menu is no longer the
 * draft's: a replayed or forged form, answered like an old button.
 */
function isOlderForm(draft: Draft, input: ResidentInput): boolean {
  if ((input.kind !== 'text' && input.kind !== 'photo') || input.menu === undefined) return false;
  return draft.menu?.seq !== input.menu;
}

function contextOf(draft: Draft): DeliveryContext {
  return {
    step: draft.step,
    photoCount: draft.photos.length,
    ...(draft.aside ? { aside: draft.aside.kind } : {}),
    ...(draft.menu ? { menu: structuredClone(draft.menu) } : {}),
    ...(draft.receipt ? { receipt: draft.receipt } : {}),
  };
}
