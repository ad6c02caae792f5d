import { randomUUID } from 'node:crypto';
import {
  type AdminUnits,
  DescriptionSchema,
  findCommunes,
  foldWords,
  type Logger,
  MAX_DESCRIPTION_LENGTH,
  MAX_PHOTO_BYTES,
  MAX_PHOTOS,
  normalizeReceiptCode,
  ObservedWhenSchema,
  pseudonymOf,
  searchProvinces,
  TipCategorySchema,
  toNfc,
  VenueTypeSchema,
} from '@tinbao/shared';
import { Composer, type StorageAdapter } from 'grammy';
import type { BotContext } from '../context';
import { errorSummary, replyOnce } from '../errors';
import type { Draft, Step } from './draft';
import {
  categoryKeyboard,
  changeProvinceKeyboard,
  communeKeyboard,
  consentKeyboard,
  editKeyboard,
  parseData,
  photosKeyboard,
  provinceKeyboard,
  startKeyboard,
  summaryKeyboard,
  venueKeyboard,
  whenKeyboard,
} from './keyboards';
import {
  CATEGORY_LABELS,
  EDIT_LABELS,
  type EditTarget,
  HINTS,
  photosHint,
  TEXT,
  TOO_LONG_HINT,
  VENUE_LABELS,
  WHEN_LABELS,
} from './messages';
import { PhotoError, reencodePhoto } from './photos';
import { isStatusLookupLimited, type StatusLookup } from './status';
import { ensurePending, isRateLimited, type SubmitDeps, submitDraft } from './submit';

/** Telegram sends the parts of a split paste within a second or two; a rewrite takes longer. */
export const PASTE_PART_SECONDS = 10;
const COMMUNE_BUTTONS = 8;

export interface ConversationDeps {
  units: AdminUnits;
  submit: SubmitDeps;
  /** The session storage, to save the pending tip id before the first submission attempt. */
  draftStorage: StorageAdapter<Draft>;
  /** Downloads a Telegram file by its `file_path` (at most MAX_PHOTO_BYTES). */
  downloadFile(filePath: string): Promise<Uint8Array>;
  /** The API's public receipt status, when TINBAO_API_URL is set. */
  statusLookup?: StatusLookup;
  logger: Logger;
}

/**
 * The tip conversation as one Composer: an explicit state machine over `ctx.session`
 * (the draft), private chats only. Every handler either advances the draft one step or
 * answers with the hint of the current step; nothing unexpected reaches the resident as
 * an error.
 */
export function tipConversation(deps: ConversationDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const guarded = composer.errorBoundary(async (error) => {
    deps.logger.warn(
      { updateId: error.ctx.update.update_id, step: stepOf(error.ctx), err: errorSummary(error.error) },
      'tip conversation step failed',
    );
    await replyOnce(error.ctx, TEXT.tryAgainLater);
  });
  const chat = guarded.chatType('private');
  const { units } = deps;

  // ——— prompts ———

  async function prompt(ctx: BotContext, step: Step): Promise<void> {
    const draft = ctx.session;
    draft.step = step;
    switch (step) {
      case 'idle':
        await ctx.reply(TEXT.welcome, { reply_markup: startKeyboard() });
        return;
      case 'category':
        await ctx.reply(TEXT.askCategory, { reply_markup: categoryKeyboard() });
        return;
      case 'province':
        await ctx.reply(TEXT.askProvince, { reply_markup: provinceKeyboard(units.provinces) });
        return;
      case 'commune':
        await ctx.reply(
          TEXT.askCommune(provinceName(draft.provinceCode), communeExample(draft.provinceCode)),
          {
            reply_markup: changeProvinceKeyboard(),
          },
        );
        return;
      case 'venue':
        await ctx.reply(TEXT.askVenue, { reply_markup: venueKeyboard() });
        return;
      case 'when':
        await ctx.reply(TEXT.askWhen, { reply_markup: whenKeyboard() });
        return;
      case 'description':
        await ctx.reply(TEXT.askDescription);
        return;
      case 'photos':
        await ctx.reply(TEXT.askPhotos(draft.photos.length), {
          reply_markup: photosKeyboard(draft.photos.length),
        });
        return;
      case 'consent':
        await ctx.reply(TEXT.askConsent, { reply_markup: consentKeyboard() });
        return;
      case 'summary': {
        const sent = await ctx.reply(summaryText(draft), { reply_markup: summaryKeyboard() });
        draft.summaryMessageId = sent.message_id;
        return;
      }
      case 'editChoice':
        await ctx.reply(TEXT.chooseEdit, { reply_markup: editKeyboard() });
        return;
    }
  }

  /** After an answer: the next step, or straight back to the summary when editing. */
  async function advance(ctx: BotContext, next: Step): Promise<void> {
    const draft = ctx.session;
    if (draft.editing) {
      draft.editing = false;
      await prompt(ctx, 'summary');
      return;
    }
    await prompt(ctx, next);
  }

  async function hint(ctx: BotContext, prefix?: string): Promise<void> {
    const draft = ctx.session;
    const text = prefix ? `${prefix}\n${hintText(draft)}` : hintText(draft);
    // Re-offer the step's keyboard with the hint: residents scroll less on small screens.
    const keyboard = hintKeyboard(draft);
    const sent = await ctx.reply(text, keyboard ? { reply_markup: keyboard } : {});
    if (draft.step === 'summary') draft.summaryMessageId = sent.message_id;
  }

  function hintText(draft: Draft): string {
    if (draft.step === 'commune' && draft.provinceCode)
      return TEXT.communeHint(communeExample(draft.provinceCode));
    if (draft.step === 'photos') return photosHint(draft.photos.length);
    return HINTS[draft.step];
  }

  const communeExample = (code: string | undefined) => communeExampleOf(units, code);

  function hintKeyboard(draft: Draft) {
    switch (draft.step) {
      case 'idle':
        return startKeyboard();
      case 'category':
        return categoryKeyboard();
      case 'commune':
        return changeProvinceKeyboard();
      case 'venue':
        return venueKeyboard();
      case 'when':
        return whenKeyboard();
      case 'photos':
        return photosKeyboard(draft.photos.length);
      case 'consent':
        return consentKeyboard();
      case 'summary':
        return summaryKeyboard();
      case 'editChoice':
        return editKeyboard();
      default:
        return undefined;
    }
  }

  function provinceName(code: string | undefined): string {
    return (code && units.provinceByCode.get(code)?.name) || 'tỉnh đã chọn';
  }

  function summaryText(draft: Draft): string {
    const commune = draft.communeCode ? units.communeByCode.get(draft.communeCode) : undefined;
    const description = draft.description ?? '';
    // The summary must fit Telegram's 4,096 characters; the whole description is still sent.
    const shown = description.length > 3000 ? `${description.slice(0, 3000)}…` : description;
    return [
      TEXT.summaryTitle,
      `• Loại: ${draft.category ? CATEGORY_LABELS[draft.category] : '—'}`,
      `• Địa điểm: ${commune ? `${commune.name}, ${provinceName(commune.provinceCode)}` : '—'}`,
      ...(draft.location ? ['• Vị trí: đã gửi (chỉ nằm trong tin đã mã hóa)'] : []),
      `• Nơi xảy ra: ${draft.venueType ? VENUE_LABELS[draft.venueType] : '—'}`,
      `• Thời gian: ${draft.observed ? WHEN_LABELS[draft.observed] : '—'}`,
      `• Mô tả: ${shown}`,
      `• Ảnh: ${draft.photos.length}`,
      `• Đồng ý được hỏi thêm: ${draft.followUpConsent ? 'Có' : 'Không'}`,
      '',
      TEXT.summaryFooter,
    ].join('\n');
  }

  async function forgetDraft(ctx: BotContext): Promise<void> {
    const photoIds = ctx.session.photos.map((photo) => photo.id);
    const summaryMessageId = ctx.session.summaryMessageId;
    ctx.session = null;
    await deps.submit.photos.delete(photoIds);
    // The summary's Gửi/Sửa/Hủy buttons are done with: remove them (the pressed message too).
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return;
    const pressed = ctx.callbackQuery?.message?.message_id;
    for (const messageId of new Set([summaryMessageId, pressed])) {
      if (messageId === undefined) continue;
      await ctx.api.editMessageReplyMarkup(chatId, messageId).catch(() => {});
    }
  }

  // ——— commands ———

  // A split paste's parts arrive back to back; anything else in between ends the paste.
  chat.use(async (ctx, next) => {
    if (ctx.session.tooLongAt !== undefined && ctx.message?.text === undefined) delete ctx.session.tooLongAt;
    await next();
  });

  chat.command('start', async (ctx) => {
    const draft = ctx.session;
    if (draft.step === 'idle') {
      await prompt(ctx, 'idle');
      return;
    }
    await ctx.reply(TEXT.resume);
    await prompt(ctx, draft.step);
  });

  chat.command('huy', async (ctx) => {
    const draft = ctx.session;
    if (draft.step === 'idle' && !draft.category) {
      await ctx.reply(TEXT.nothingToCancel);
      return;
    }
    await forgetDraft(ctx);
    await ctx.reply(TEXT.cancelled);
  });

  chat.command('trogiup', async (ctx) => {
    await ctx.reply(TEXT.help);
    if (ctx.session.step !== 'idle') await hint(ctx);
  });

  chat.command('trangthai', async (ctx) => {
    const given = ctx.match.trim();
    if (!given) {
      await ctx.reply(TEXT.statusUsage);
      return;
    }
    const code = normalizeReceiptCode(given.slice(0, 40));
    if (!code) {
      await ctx.reply(TEXT.statusBadCode);
      return;
    }
    if (!deps.statusLookup) {
      await ctx.reply(TEXT.statusComing(code));
      return;
    }
    const userId = ctx.from?.id;
    if (userId === undefined) return;
    if (await isStatusLookupLimited(deps.submit, userId)) {
      await ctx.reply(TEXT.statusTooMany);
      return;
    }
    // The API limits by this keyed hash instead of the bot's IP, which every resident shares.
    const result = await deps.statusLookup(code, {
      resident: await pseudonymOf(deps.submit.pepper, 'telegram-status', userId),
    });
    deps.logger.info({ updateId: ctx.update.update_id, result: result.kind }, 'receipt status looked up');
    const answer =
      result.kind === 'found'
        ? TEXT.status(code, result.status)
        : result.kind === 'not_found'
          ? TEXT.statusNotFound(code)
          : result.kind === 'busy'
            ? TEXT.statusBusy
            : TEXT.statusUnavailable;
    await ctx.reply(answer);
  });

  // ——— buttons ———

  chat.on('callback_query:data', async (ctx) => {
    const draft = ctx.session;
    const data = parseData(ctx.callbackQuery.data);
    const stale = async () => {
      await ctx.answerCallbackQuery({ text: TEXT.staleButton }).catch(() => {});
      await hint(ctx);
    };
    if (!data) return stale();
    await ctx.answerCallbackQuery().catch(() => {});
    const { kind, value } = data;

    if (kind === 't' && value === 'new') {
      if (draft.step === 'idle') return prompt(ctx, 'category');
      await ctx.reply(TEXT.resume);
      return prompt(ctx, draft.step);
    }

    switch (draft.step) {
      case 'category': {
        const category = TipCategorySchema.safeParse(value);
        if (kind !== 'c' || !category.success) return stale();
        draft.category = category.data;
        return advance(ctx, 'province');
      }
      case 'province': {
        const province = kind === 'p' ? units.provinceByCode.get(value) : undefined;
        if (!province) return stale();
        if (draft.provinceCode !== province.code) delete draft.communeCode;
        draft.provinceCode = province.code;
        return prompt(ctx, 'commune');
      }
      case 'commune': {
        if (kind !== 'm') return stale();
        if (value === 'back') return prompt(ctx, 'province');
        const commune = units.communeByCode.get(value);
        if (!commune || commune.provinceCode !== draft.provinceCode) return stale();
        draft.communeCode = commune.code;
        return advance(ctx, 'venue');
      }
      case 'venue': {
        const venue = VenueTypeSchema.safeParse(value);
        if (kind !== 'v' || !venue.success) return stale();
        draft.venueType = venue.data;
        return advance(ctx, 'when');
      }
      case 'when': {
        const observed = ObservedWhenSchema.safeParse(value);
        if (kind !== 'w' || !observed.success) return stale();
        draft.observed = observed.data;
        return advance(ctx, 'description');
      }
      case 'photos': {
        if (kind !== 'f' || (value !== 'done' && value !== 'none')) return stale();
        return advance(ctx, 'consent');
      }
      case 'consent': {
        if (kind !== 'k' || (value !== 'y' && value !== 'n')) return stale();
        draft.followUpConsent = value === 'y';
        return advance(ctx, 'summary');
      }
      case 'summary': {
        if (kind !== 's') return stale();
        if (value === 'send') return send(ctx);
        if (value === 'edit') return prompt(ctx, 'editChoice');
        if (value === 'cancel') {
          await forgetDraft(ctx);
          await ctx.reply(TEXT.cancelled);
          return;
        }
        return stale();
      }
      case 'editChoice': {
        if (kind !== 'e') return stale();
        if (value === 'back') return prompt(ctx, 'summary');
        if (!(value in EDIT_LABELS)) return stale();
        const target = value as EditTarget;
        draft.editing = true;
        if (target === 'photos') {
          // Photos are replaced as a whole: simpler than picking one on a small screen.
          await deps.submit.photos.delete(draft.photos.map((photo) => photo.id));
          draft.photos = [];
        }
        return prompt(ctx, target);
      }
      default:
        return stale();
    }
  });

  chat.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery({ text: TEXT.staleButton }).catch(() => {});
    await hint(ctx);
  });

  async function send(ctx: BotContext): Promise<void> {
    const draft = ctx.session;
    const userId = ctx.from?.id;
    const chatId = ctx.chat?.id;
    if (userId === undefined || chatId === undefined || !ctx.chatKey) return hint(ctx);
    if (await isRateLimited(deps.submit, userId)) {
      await ctx.reply(TEXT.rateLimited);
      return;
    }
    if (!draft.pending) {
      // Saved before the first attempt: a retry after a failure reuses the same tip id.
      ensurePending(draft);
      await deps.draftStorage.write(ctx.chatKey, draft);
    }
    const outcome = await submitDraft(deps.submit, draft, { userId, chatId });
    if (outcome.kind === 'rate_limited') {
      await ctx.reply(TEXT.rateLimited);
      return;
    }
    if (outcome.kind === 'invalid') {
      deps.logger.warn(
        { updateId: ctx.update.update_id, problem: outcome.problem },
        'draft failed validation',
      );
      await ctx.reply(TEXT.invalidDraft);
      return prompt(ctx, 'editChoice');
    }
    deps.logger.info({ updateId: ctx.update.update_id, tipId: draft.pending?.tipId }, 'tip submitted');
    await forgetDraft(ctx);
    await ctx.reply(TEXT.sent(outcome.receiptCode));
  }

  // ——— messages ———

  chat.on('message:text', async (ctx) => {
    const draft = ctx.session;
    const text = toNfc(ctx.message.text);
    if (draft.step === 'description') {
      const refusedAt = draft.tooLongAt;
      delete draft.tooLongAt;
      const sentAt = ctx.message.date;
      if (refusedAt !== undefined && sentAt >= refusedAt && sentAt - refusedAt <= PASTE_PART_SECONDS) {
        // The rest of a long paste already refused: refuse it too, without a second message.
        draft.tooLongAt = sentAt;
        deps.logger.info({ updateId: ctx.update.update_id }, 'rest of a too-long description refused');
        return;
      }
      if (text.length > MAX_DESCRIPTION_LENGTH) {
        draft.tooLongAt = sentAt;
        await ctx.reply(TEXT.descriptionTooLong);
        return;
      }
    }
    if (text.startsWith('/')) return hint(ctx);
    if (text.length > MAX_DESCRIPTION_LENGTH) return hint(ctx, TOO_LONG_HINT);
    switch (draft.step) {
      case 'province': {
        const matches = searchProvinces(units, text);
        const exact = matches.length === 1 ? matches[0] : undefined;
        if (exact) {
          if (draft.provinceCode !== exact.code) delete draft.communeCode;
          draft.provinceCode = exact.code;
          return prompt(ctx, 'commune');
        }
        if (matches.length === 0) {
          await ctx.reply(TEXT.provinceNotFound, { reply_markup: provinceKeyboard(units.provinces) });
          return;
        }
        await ctx.reply(TEXT.provinceMatches, { reply_markup: provinceKeyboard(matches) });
        return;
      }
      case 'commune': {
        const code = draft.provinceCode;
        if (!code) return prompt(ctx, 'province');
        const { matches, total } = findCommunes(units, code, text, COMMUNE_BUTTONS);
        if (matches.length === 0) {
          await ctx.reply(TEXT.communeNotFound(provinceName(code)), {
            reply_markup: changeProvinceKeyboard(),
          });
          return;
        }
        await ctx.reply(total > matches.length ? TEXT.communeManyMatches(total) : TEXT.communeMatches, {
          reply_markup: communeKeyboard(units, matches),
        });
        return;
      }
      case 'description': {
        const description = DescriptionSchema.safeParse(text);
        if (!description.success) return hint(ctx);
        draft.description = description.data;
        return advance(ctx, 'photos');
      }
      default:
        return hint(ctx);
    }
  });

  chat.on('message:location', async (ctx) => {
    const draft = ctx.session;
    if (draft.step !== 'province' && draft.step !== 'commune') return hint(ctx);
    const { latitude, longitude } = ctx.message.location;
    draft.location = { latitude, longitude };
    // One short message with the step's buttons: the pin names no commune (no coordinates here).
    await ctx.reply(TEXT.locationReceived, {
      reply_markup: draft.step === 'province' ? provinceKeyboard(units.provinces) : changeProvinceKeyboard(),
    });
  });

  chat.on('message:photo', async (ctx) => {
    const largest = ctx.message.photo.at(-1);
    if (!largest) return hint(ctx);
    const description = captionDescription(ctx, ctx.message.caption);
    const accepted = await acceptPhoto(ctx, largest.file_id, largest.file_size, description !== undefined);
    if (accepted && description !== undefined) await describeWith(ctx, description);
  });

  chat.on('message:document', async (ctx) => {
    const document = ctx.message.document;
    // Images sent "as a file" keep their full size; anything else is not a photo.
    const takesPhotos = ctx.session.step === 'photos' || ctx.session.step === 'description';
    if (takesPhotos && document.mime_type?.startsWith('image/')) {
      const description = captionDescription(ctx, ctx.message.caption);
      const accepted = await acceptPhoto(
        ctx,
        document.file_id,
        document.file_size,
        description !== undefined,
      );
      if (accepted && description !== undefined) await describeWith(ctx, description);
      return;
    }
    return hint(ctx, ctx.session.step === 'photos' ? TEXT.photoNotImage : undefined);
  });

  /** A photo sent with a caption at the description step: the caption is the description. */
  function captionDescription(ctx: BotContext, caption: string | undefined): string | undefined {
    if (ctx.session.step !== 'description' || !caption) return undefined;
    const description = DescriptionSchema.safeParse(toNfc(caption));
    return description.success ? description.data : undefined;
  }

  async function describeWith(ctx: BotContext, description: string): Promise<void> {
    ctx.session.description = description;
    await advance(ctx, 'photos');
  }

  /**
   * Takes a photo at the photo step, and also at the description step (residents often send
   * the photo first): it is kept, encrypted like the others, for the tip.
   */
  async function acceptPhoto(
    ctx: BotContext,
    fileId: string,
    size: number | undefined,
    quietOnSuccess = false,
  ): Promise<boolean> {
    const draft = ctx.session;
    if (draft.step !== 'photos' && draft.step !== 'description') {
      await hint(ctx);
      return false;
    }
    const early = draft.step === 'description';
    const keyboard = () => (early ? {} : { reply_markup: photosKeyboard(draft.photos.length) });
    if (draft.photos.length >= MAX_PHOTOS) {
      await ctx.reply(early ? TEXT.photoLimitEarly : TEXT.photoLimit, keyboard());
      return false;
    }
    if (size !== undefined && size > MAX_PHOTO_BYTES) {
      await ctx.reply(TEXT.photoTooLarge, keyboard());
      return false;
    }
    try {
      const file = await ctx.api.getFile(fileId);
      if (!file.file_path) throw new PhotoError('download_failed');
      const photo = await reencodePhoto(await deps.downloadFile(file.file_path));
      const id = randomUUID();
      await deps.submit.photos.put(id, photo.jpeg);
      draft.photos.push({ id, width: photo.width, height: photo.height });
    } catch (error) {
      if (!(error instanceof PhotoError) && !isTelegramError(error)) throw error;
      const problem = error instanceof PhotoError ? error.problem : 'download_failed';
      deps.logger.info({ updateId: ctx.update.update_id, problem }, 'photo rejected');
      const text =
        problem === 'too_large'
          ? TEXT.photoTooLarge
          : problem === 'not_image'
            ? TEXT.photoNotImage
            : TEXT.photoFailed;
      await ctx.reply(text, keyboard());
      return false;
    }
    if (quietOnSuccess) return true;
    await ctx.reply(
      early ? TEXT.photoKeptForLater(draft.photos.length) : TEXT.photoReceived(draft.photos.length),
      keyboard(),
    );
    return true;
  }

  // Stickers, voice, video, contacts, polls…: a short hint, never an error.
  chat.on('message', (ctx) => hint(ctx));

  return composer;
}

/** An example to type for the chosen province: one of its own communes, folded ("ba dinh"). */
export function communeExampleOf(units: AdminUnits, provinceCode: string | undefined): string {
  const communes = provinceCode ? units.communesOf(provinceCode) : [];
  // Two words without a number ("ba dinh", not "ha giang 2") show that accents and spaces are optional.
  const commune =
    communes.find(
      (candidate) => foldWords(candidate.shortName).length > 1 && !/\d/.test(candidate.shortName),
    ) ?? communes[0];
  return commune ? foldWords(commune.shortName).join(' ') : 'dak rong';
}

function isTelegramError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'GrammyError' || error.name === 'HttpError');
}

function stepOf(ctx: BotContext): string {
  try {
    return ctx.session.step;
  } catch {
    return 'unknown';
  }
}
