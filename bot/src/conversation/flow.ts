import {
  checkAnswerText,
  DescriptionSchema,
  MAX_DESCRIPTION_LENGTH,
  MAX_PHOTO_BYTES,
  MAX_PHOTOS,
  normalizeReceiptCode,
  ObservedWhenSchema,
  TipCategorySchema,
  toNfc,
  VenueTypeSchema,
} from '@tinbao/shared';
import { type Aside, type Draft, emptyDraft, type Step } from './draft';
import { BACK, type MatchMode, matchTypedOption } from './menus';
import {
  BUTTONS,
  CATEGORY_LABELS,
  EDIT_LABELS,
  type EditTarget,
  hintOf,
  PLACE_DESCRIPTION_MIN,
  TEXT,
  TOO_LONG_HINT,
  VENUE_LABELS,
  WHEN_LABELS,
} from './messages';
import type { PlaceFinder } from './places';
import type { ChannelCapabilities, Effect, FlowInput, MenuOption, Reply } from './types';

/** Telegram sends the parts of a split paste within a second or two; a rewrite takes longer. */
export const PASTE_PART_MS = 10_000;
export const COMMUNE_CHOICES = 8;
/** The commune step's "không nhớ chính xác địa điểm" option. */
export const COMMUNE_UNKNOWN = 'unknown';

export interface FlowEnv {
  caps: ChannelCapabilities;
  places: PlaceFinder;
  /** The public address of the web form, named in the welcome of the messengers. */
  webFormUrl?: string;
}

/** One step of the conversation: the new draft, what to tell the resident, what to do. */
export interface Turn {
  draft: Draft;
  replies: Reply[];
  effects: Effect[];
  /** The draft is finished with (submitted or cancelled): forget it once the replies went out. */
  done?: boolean;
}

const PREVIOUS: Partial<Record<Step, Step>> = {
  category: 'idle',
  province: 'category',
  commune: 'province',
  venue: 'commune',
  when: 'venue',
  description: 'when',
  photos: 'description',
  consent: 'photos',
  summary: 'consent',
  editChoice: 'summary',
};

const IDLE_MENU = { seq: 0, options: ['start'], labels: [BUTTONS.startTip] };

/** Characters that show nothing: a description of only these (or only emoji) says nothing. */
const MEANINGFUL = /[\p{L}\p{N}]/u;

/**
 * The tip conversation as a pure step function: (draft, input) → (draft, replies, effects).
 * Effects (storing a photo, submitting, looking a receipt up) are run by the engine, which
 * feeds their results back in as inputs. Every channel runs exactly this.
 */
export function step(previous: Draft, input: FlowInput, env: FlowEnv): Turn {
  const turn: Turn = { draft: structuredClone(previous), replies: [], effects: [] };
  new Flow(turn, env).handle(input);
  return turn;
}

class Flow {
  private readonly draft: Draft;

  constructor(
    private readonly turn: Turn,
    private readonly env: FlowEnv,
  ) {
    this.draft = turn.draft;
  }

  private get caps() {
    return this.env.caps;
  }

  handle(input: FlowInput): undefined {
    const draft = this.draft;
    switch (input.kind) {
      case 'delivered':
        delete draft.receipt;
        return;
      case 'photo-stored':
        return this.photoStored(input.photo, input.caption);
      case 'photo-failed':
        return this.say(this.photoProblemText(input.problem), this.photoKeyboardIfAtStep());
      case 'submitted':
        return this.submitted(input.receiptCode);
      case 'submit-refused':
        if (input.reason === 'rate_limited') return this.say(TEXT.rateLimited);
        this.say(TEXT.invalidDraft);
        return this.prompt('editChoice');
      case 'status-result':
        return this.statusResult(input.receiptCode, input.result);
      case 'answer-sent':
        return this.answerDone(TEXT.answerSent);
      case 'answer-refused':
        return this.answerDone(input.reason === 'rate_limited' ? TEXT.answerTooMany : TEXT.answerNotOpen);
      case 'status-limited':
        return this.say(TEXT.statusTooMany);
      default:
        break;
    }
    // A stored tip whose receipt may not have reached the resident: show it first, always.
    if (draft.receipt) this.say(TEXT.receiptAgain(draft.receipt));
    if (input.kind !== 'text' && input.kind !== 'stale-choice' && draft.tooLongAt !== undefined)
      delete draft.tooLongAt;

    switch (input.kind) {
      case 'text':
        return this.text(toNfc(input.text), input.sentAt);
      case 'choice':
        return this.choice(input.menu, input.option);
      case 'stale-choice':
        return this.stale();
      case 'photo':
        return this.photo(input.source.declaredBytes, input);
      case 'location':
        return this.location(input.latitude, input.longitude);
      case 'document':
        if (draft.step === 'photos') return this.hint(TEXT.photoNotImage);
        return this.hint();
      case 'unsupported':
        if (input.what === 'protected') return this.hint(TEXT.unsupportedProtected);
        return this.hint();
    }
  }

  // ——— replies ———

  private say(text: string, menu?: { options: MenuOption[]; columns?: number }): undefined {
    if (!menu) {
      this.turn.replies.push({ kind: 'text', text });
      return;
    }
    const draft = this.draft;
    const seq = draft.menuCount;
    draft.menuCount = (seq + 1) % 1_000_000;
    draft.menu = {
      seq,
      options: menu.options.map((option) => option.id),
      labels: menu.options.map((option) => option.label),
    };
    this.turn.replies.push({
      kind: 'menu',
      text,
      seq,
      options: menu.options,
      ...(menu.columns ? { columns: menu.columns } : {}),
    });
  }

  /** The current menu again (same seq: its earlier message stays valid), under a new text. */
  private repeatMenu(text: string): undefined {
    const menu = this.draft.menu;
    if (!menu) {
      this.say(text);
      return;
    }
    const options = menu.options.map((id, index) => ({ id, label: menu.labels[index] ?? id }));
    this.turn.replies.push({
      kind: 'menu',
      text,
      seq: menu.seq,
      options,
      ...this.columnsOf(this.draft.step),
    });
  }

  private columnsOf(step: Step): { columns?: number } {
    if (step === 'province') return { columns: 3 };
    if (step === 'venue' || step === 'editChoice') return { columns: 2 };
    return {};
  }

  /** VNeID allows it too: a resident who does not remember the commune still reports (province only). */
  private communeUnknownOption(): MenuOption {
    return { id: COMMUNE_UNKNOWN, label: BUTTONS.communeUnknown };
  }

  private back(label: string = BUTTONS.back): MenuOption {
    return { id: BACK, label };
  }

  private hint(prefix?: string): undefined {
    // Re-offer the step's (or the aside's) menu with the hint: residents scroll less on small screens.
    this.repeatMenu([prefix, this.hintText()].filter(Boolean).join('\n'));
  }

  private hintText(): string {
    const draft = this.draft;
    if (draft.aside) return this.asideHint(draft.aside);
    if (draft.step === 'commune' && draft.provinceCode)
      return TEXT.communeHint(this.env.places.communeExample(draft.provinceCode));
    return hintOf(draft.step, this.caps, draft.photos.length);
  }

  private asideHint(aside: Aside): string {
    switch (aside.kind) {
      case 'cancel':
        return TEXT.confirmCancel;
      case 'located':
        return this.locatedText(aside.provinceCode, aside.communeCode);
      case 'add-text':
        return TEXT.addText;
      case 'candidate-description':
        return TEXT.candidateDescription;
      case 'answer-offer':
        return TEXT.answerOfferHint;
      case 'answer':
        return TEXT.answerHint;
    }
  }

  private stale(): undefined {
    this.hint(TEXT.staleButton);
  }

  // ——— prompts ———

  private prompt(step: Step): undefined {
    const draft = this.draft;
    draft.step = step;
    delete draft.aside;
    const places = this.env.places;
    switch (step) {
      case 'idle':
        return this.say(TEXT.welcome(this.caps, this.env.webFormUrl), {
          options: [{ id: 'start', label: BUTTONS.startTip }],
        });
      case 'category':
        return this.say(TEXT.askCategory, {
          options: [
            ...TipCategorySchema.options.map((value) => ({ id: value, label: CATEGORY_LABELS[value] })),
            this.back(),
          ],
        });
      case 'province':
        return this.provinceMenu(TEXT.askProvince(this.caps), places.provinces);
      case 'commune':
        return this.say(
          TEXT.askCommune(this.provinceName(draft.provinceCode), places.communeExample(draft.provinceCode)),
          { options: [this.communeUnknownOption(), this.back(BUTTONS.changeProvince)] },
        );
      case 'venue':
        return this.say(TEXT.askVenue, {
          options: [
            ...VenueTypeSchema.options.map((value) => ({ id: value, label: VENUE_LABELS[value] })),
            this.back(),
          ],
          columns: 2,
        });
      case 'when':
        return this.say(TEXT.askWhen, {
          options: [
            ...ObservedWhenSchema.options.map((value) => ({ id: value, label: WHEN_LABELS[value] })),
            this.back(),
          ],
        });
      case 'description':
        return this.say(
          draft.communeUnknown ? `${TEXT.askDescription}\n${TEXT.describePlace}` : TEXT.askDescription,
          { options: [this.back()] },
        );
      case 'photos':
        return this.say(TEXT.askPhotos(draft.photos.length), this.photoMenu());
      case 'consent':
        return this.say(TEXT.askConsent, {
          options: [
            { id: 'yes', label: BUTTONS.consentYes },
            { id: 'no', label: BUTTONS.consentNo },
            this.back(),
          ],
        });
      case 'summary':
        return this.say(this.summaryText(), {
          options: [
            { id: 'send', label: BUTTONS.send },
            { id: 'edit', label: BUTTONS.edit },
            { id: 'cancel', label: BUTTONS.cancel },
          ],
        });
      case 'editChoice':
        return this.say(TEXT.chooseEdit, {
          options: [
            ...(Object.keys(EDIT_LABELS) as EditTarget[]).map((target) => ({
              id: target,
              label: EDIT_LABELS[target],
            })),
            this.back(BUTTONS.backToSummary),
          ],
          columns: 2,
        });
    }
  }

  private provinceMenu(text: string, provinces: PlaceFinder['provinces']): undefined {
    this.say(text, {
      options: [
        ...provinces.map((province) => ({ id: province.code, label: province.shortName })),
        this.back(),
      ],
      columns: provinces.length > 8 ? 3 : 1,
    });
  }

  private photoMenu() {
    const count = this.draft.photos.length;
    return {
      options: [
        count === 0 ? { id: 'none', label: BUTTONS.skipPhotos } : { id: 'done', label: BUTTONS.photosDone },
        this.back(),
      ],
    };
  }

  private photoKeyboardIfAtStep() {
    return this.draft.step === 'photos' ? this.photoMenu() : undefined;
  }

  /** After an answer: the next step, or straight back to the summary when editing. */
  private advance(next: Step): undefined {
    if (this.draft.editing) {
      this.draft.editing = false;
      return this.prompt('summary');
    }
    return this.prompt(next);
  }

  private goBack(): undefined {
    const draft = this.draft;
    if (draft.editing) {
      draft.editing = false;
      return this.prompt('summary');
    }
    const previous = PREVIOUS[draft.step];
    if (previous) return this.prompt(previous);
    return this.hint();
  }

  // ——— commands and typed text ———

  private text(text: string, sentAt: number | undefined): undefined {
    const draft = this.draft;
    const trimmed = text.trim();
    if (trimmed.startsWith('/')) return this.command(trimmed);
    if (draft.aside?.kind === 'answer') return this.answerText(text);

    if (draft.step === 'description' && !draft.aside) {
      const refusedAt = draft.tooLongAt;
      delete draft.tooLongAt;
      if (text.length > MAX_DESCRIPTION_LENGTH) {
        draft.tooLongAt = sentAt;
        return this.say(TEXT.descriptionTooLong, { options: [this.back()] });
      }
      if (refusedAt !== undefined && sentAt !== undefined && sentAt - refusedAt <= PASTE_PART_MS) {
        // Maybe the rest of a long paste: never taken silently as the whole description, never dropped.
        draft.tooLongAt = sentAt;
        draft.aside = { kind: 'candidate-description', text };
        return this.say(TEXT.candidateDescription, {
          options: [
            { id: 'use', label: BUTTONS.useAsDescription },
            { id: 'no', label: BUTTONS.sendAgain },
          ],
        });
      }
    }
    if (text.length > MAX_DESCRIPTION_LENGTH) return this.hint(TOO_LONG_HINT);

    const folded = trimmed.toLowerCase();
    if (isWord(folded, ['huy', 'hủy', 'huỷ']) && !draft.aside) return this.requestCancel();

    const mode = this.matchModeFor();
    // No draft is stored for a resident who only said hello: the welcome's menu is known anyway.
    const menu = draft.menu ?? (draft.step === 'idle' ? IDLE_MENU : undefined);
    const typed = matchTypedOption(menu, trimmed, mode);
    if (typed !== undefined) return this.answer(typed);
    // A pin's proposal does not bind: typing a place instead searches it.
    if (draft.aside?.kind === 'located') delete draft.aside;
    if (draft.aside) return this.hint();

    switch (draft.step) {
      case 'idle':
        return this.prompt('idle');
      case 'province':
        return this.searchProvince(trimmed);
      case 'commune':
        return this.searchCommune(trimmed);
      case 'description':
        return this.describe(text);
      case 'photos':
        return this.offerAddition(text);
      default:
        return this.hint();
    }
  }

  private matchModeFor(): MatchMode {
    const draft = this.draft;
    if (draft.aside) return 'loose';
    switch (draft.step) {
      case 'province':
      case 'commune':
      case 'photos':
        return 'numbers';
      case 'description':
        return 'exact';
      default:
        return 'loose';
    }
  }

  private command(text: string): undefined {
    const [head = '', ...rest] = text.split(/\s+/);
    const name = head.slice(1).split('@')[0]?.toLowerCase();
    const args = rest.join(' ');
    const draft = this.draft;
    switch (name) {
      case 'start':
        if (draft.step === 'idle' && !draft.aside) return this.prompt('idle');
        this.say(TEXT.resume);
        if (draft.aside) return this.hint();
        return this.prompt(draft.step);
      case 'huy':
        return this.requestCancel();
      case 'trogiup':
        this.say(TEXT.help);
        if (draft.step !== 'idle' || draft.aside) this.hint();
        return;
      case 'trangthai':
        return this.statusCommand(args);
      default:
        return this.hint();
    }
  }

  private statusCommand(args: string): undefined {
    const given = args.trim();
    if (!given) return this.say(TEXT.statusUsage);
    const code = normalizeReceiptCode(given.slice(0, 40));
    if (!code) return this.say(TEXT.statusBadCode);
    this.turn.effects.push({ kind: 'lookup-status', receiptCode: code });
  }

  private requestCancel(): undefined {
    const draft = this.draft;
    if (draft.step === 'idle' && !draft.category && draft.photos.length === 0) {
      delete draft.aside;
      return this.say(TEXT.nothingToCancel);
    }
    draft.aside = { kind: 'cancel' };
    this.say(TEXT.confirmCancel, {
      options: [
        { id: 'confirm', label: BUTTONS.cancelTip },
        { id: 'keep', label: BUTTONS.keepEditing },
      ],
    });
  }

  private searchProvince(text: string): undefined {
    const answer = this.env.places.resolveProvince(text);
    if (answer.kind === 'found') return this.chooseProvince(answer.province.code, answer.note);
    if (answer.kind === 'none') return this.provinceMenu(TEXT.provinceNotFound, this.env.places.provinces);
    return this.provinceMenu(TEXT.provinceMatches, answer.candidates);
  }

  private chooseProvince(code: string, note?: string): undefined {
    const draft = this.draft;
    if (draft.provinceCode !== code) delete draft.communeCode;
    draft.provinceCode = code;
    if (note) this.say(note);
    this.prompt('commune');
  }

  private searchCommune(text: string): undefined {
    const draft = this.draft;
    const code = draft.provinceCode;
    if (!code) return this.prompt('province');
    const { matches, total } = this.env.places.findCommunes(code, text, COMMUNE_CHOICES);
    const changeProvince = this.back(BUTTONS.changeProvince);
    if (matches.length === 0)
      return this.say(TEXT.communeNotFound(this.provinceName(code)), {
        options: [this.communeUnknownOption(), changeProvince],
      });
    const notes = matches.flatMap((match) => (match.note ? [`• ${match.note}`] : []));
    const heading = total > matches.length ? TEXT.communeManyMatches(total) : TEXT.communeMatches;
    this.say([...notes, heading].join('\n'), {
      options: [
        ...matches.map((match) => ({
          id: match.commune.code,
          label: `${match.commune.name} (${this.env.places.province(match.commune.provinceCode)?.shortName ?? match.commune.provinceCode})`,
        })),
        this.communeUnknownOption(),
        changeProvince,
      ],
    });
  }

  private describe(text: string): undefined {
    const parsed = DescriptionSchema.safeParse(text);
    if (!parsed.success) return this.hint();
    if (!MEANINGFUL.test(parsed.data)) return this.hint(TEXT.descriptionMeaningless);
    if (this.draft.communeUnknown && parsed.data.trim().length < PLACE_DESCRIPTION_MIN)
      return this.hint(TEXT.describePlace);
    this.draft.description = parsed.data;
    this.advance('photos');
  }

  private offerAddition(text: string): undefined {
    if (!MEANINGFUL.test(text)) return this.hint();
    this.draft.aside = { kind: 'add-text', text };
    this.say(TEXT.addText, {
      options: [
        { id: 'add', label: BUTTONS.addToDescription },
        { id: 'skip', label: BUTTONS.doNotAdd },
      ],
    });
  }

  // ——— choices (buttons, numbers, words) ———

  private choice(menu: number, option: string): undefined {
    const draft = this.draft;
    // The welcome's button works even when no draft remains (expired, or never stored).
    if (
      option === 'start' &&
      draft.step === 'idle' &&
      !draft.aside &&
      (!draft.menu || draft.menu.seq === menu)
    )
      return this.prompt('category');
    // A button of a draft that is gone (sent, cancelled, expired after 24 h, or lost with the drafts' Redis).
    if (!draft.menu && draft.step === 'idle' && draft.menuCount === 0) {
      this.say(TEXT.draftGone);
      return this.prompt('idle');
    }
    if (!draft.menu || draft.menu.seq !== menu || !draft.menu.options.includes(option)) return this.stale();
    this.answer(option);
  }

  /** An option of the current menu was chosen (by any channel's means). */
  private answer(option: string): undefined {
    const draft = this.draft;
    if (draft.aside) return this.answerAside(draft.aside, option);
    if (option === BACK && draft.step !== 'editChoice') {
      if (draft.step === 'commune') return this.prompt('province');
      return this.goBack();
    }
    switch (draft.step) {
      case 'idle':
        if (option === 'start') return this.prompt('category');
        return this.stale();
      case 'category': {
        const category = TipCategorySchema.safeParse(option);
        if (!category.success) return this.stale();
        draft.category = category.data;
        return this.advance('province');
      }
      case 'province': {
        const province = this.env.places.province(option);
        if (!province) return this.stale();
        return this.chooseProvince(province.code);
      }
      case 'commune': {
        if (option === COMMUNE_UNKNOWN) {
          delete draft.communeCode;
          draft.communeUnknown = true;
          this.say(TEXT.communeUnknownNoted);
          return this.advance('venue');
        }
        const commune = this.env.places.commune(option);
        if (!commune || commune.provinceCode !== draft.provinceCode) return this.stale();
        draft.communeCode = commune.code;
        delete draft.communeUnknown;
        return this.advance('venue');
      }
      case 'venue': {
        const venue = VenueTypeSchema.safeParse(option);
        if (!venue.success) return this.stale();
        draft.venueType = venue.data;
        return this.advance('when');
      }
      case 'when': {
        const observed = ObservedWhenSchema.safeParse(option);
        if (!observed.success) return this.stale();
        draft.observed = observed.data;
        return this.advance('description');
      }
      case 'photos':
        if (option !== 'done' && option !== 'none') return this.stale();
        return this.advance('consent');
      case 'consent':
        if (option !== 'yes' && option !== 'no') return this.stale();
        draft.followUpConsent = option === 'yes';
        return this.advance('summary');
      case 'summary':
        if (option === 'send') {
          this.turn.effects.push({ kind: 'submit' });
          return;
        }
        if (option === 'edit') return this.prompt('editChoice');
        if (option === 'cancel') return this.requestCancel();
        return this.stale();
      case 'editChoice': {
        if (option === BACK) return this.prompt('summary');
        if (!(option in EDIT_LABELS)) return this.stale();
        const target = option as EditTarget;
        draft.editing = true;
        if (target === 'photos') {
          // Photos are replaced as a whole: simpler than picking one on a small screen.
          this.turn.effects.push({ kind: 'delete-photos', ids: draft.photos.map((photo) => photo.id) });
          draft.photos = [];
        }
        return this.prompt(target);
      }
      default:
        return this.stale();
    }
  }

  private answerAside(aside: Aside, option: string): undefined {
    const draft = this.draft;
    switch (aside.kind) {
      case 'cancel':
        if (option === 'confirm') return this.cancel();
        if (option !== 'keep') return this.stale();
        delete draft.aside;
        this.say(TEXT.notCancelled);
        return this.prompt(draft.step);
      case 'located':
        if (option === 'yes') {
          if (draft.provinceCode !== aside.provinceCode) delete draft.communeCode;
          draft.provinceCode = aside.provinceCode;
          draft.communeCode = aside.communeCode;
          delete draft.communeUnknown;
          delete draft.aside;
          return this.advance('venue');
        }
        if (option !== 'no') return this.stale();
        return this.prompt(draft.step);
      case 'add-text': {
        if (option === 'skip') {
          this.say(TEXT.textNotAdded);
          return this.prompt('photos');
        }
        if (option !== 'add') return this.stale();
        const combined = `${draft.description ?? ''}\n${aside.text}`.trim();
        if (combined.length > MAX_DESCRIPTION_LENGTH) {
          this.say(TEXT.additionTooLong);
          return this.prompt('photos');
        }
        draft.description = combined;
        this.say(TEXT.textAdded);
        return this.prompt('photos');
      }
      case 'candidate-description':
        delete draft.tooLongAt;
        if (option === 'no') return this.prompt('description');
        if (option !== 'use') return this.stale();
        delete draft.aside;
        return this.describe(aside.text);
      case 'answer-offer': {
        if (option === 'later') return this.answerDone(TEXT.answerLater);
        const question = aside.questions[Number(/^answer_(\d)$/.exec(option)?.[1] ?? -1)];
        if (!question) return this.stale();
        draft.aside = {
          kind: 'answer',
          receiptCode: aside.receiptCode,
          tipId: aside.tipId,
          questionId: question.id,
          questionText: question.text,
        };
        return this.say(TEXT.answerPrompt(question.text), {
          options: [{ id: 'cancel_answer', label: BUTTONS.cancelAnswer }],
        });
      }
      case 'answer':
        if (option !== 'cancel_answer') return this.stale();
        return this.answerDone(TEXT.answerCancelled);
    }
  }

  // ——— questions of the staff, answered with the receipt code (pull) ———

  private statusResult(
    code: string,
    result: Extract<FlowInput, { kind: 'status-result' }>['result'],
  ): undefined {
    const questions = result.kind === 'found' ? (result.questions ?? []) : [];
    if (result.kind !== 'found' || !result.tipId || questions.length === 0)
      return this.say(this.statusText(code, result));
    const numbered = questions.length > 1;
    const lines = [
      this.statusText(code, result),
      '',
      TEXT.questionsIntro(questions.length),
      ...questions.map((question, index) => TEXT.question(question.text, numbered ? index + 1 : undefined)),
      '',
      TEXT.questionsHow,
    ];
    this.draft.aside = {
      kind: 'answer-offer',
      receiptCode: code,
      tipId: result.tipId,
      questions: questions.map((question) => ({ id: question.id, text: question.text })),
    };
    return this.say(lines.join('\n'), {
      options: [
        ...questions.map((_question, index) => ({
          id: `answer_${index}`,
          label: numbered ? BUTTONS.answerQuestionNumber(index + 1) : BUTTONS.answerQuestion,
        })),
        { id: 'later', label: BUTTONS.answerLater },
      ],
    });
  }

  private answerText(text: string): undefined {
    const checked = checkAnswerText(text);
    if (!checked.ok) {
      const problem =
        checked.problem === 'too_long'
          ? TEXT.answerTooLong
          : checked.problem === 'empty'
            ? TEXT.answerEmpty
            : TEXT.answerMeaningless;
      return this.repeatMenu(problem);
    }
    this.turn.effects.push({ kind: 'submit-answer', text: checked.text });
  }

  /** The answer went (or will not): back to where the resident was, the tip draft if any. */
  private answerDone(text: string): undefined {
    const draft = this.draft;
    delete draft.aside;
    if (draft.step === 'idle') {
      delete draft.menu;
      return this.say(text);
    }
    this.say(text);
    return this.prompt(draft.step);
  }

  private cancel(): undefined {
    const draft = this.draft;
    const photoIds = draft.photos.map((photo) => photo.id);
    if (photoIds.length > 0) this.turn.effects.push({ kind: 'delete-photos', ids: photoIds });
    if (draft.menu?.messageRef)
      this.turn.replies.push({ kind: 'retire-menu', messageRef: draft.menu.messageRef });
    this.turn.draft = {
      ...emptyDraft(),
      menuCount: draft.menuCount,
      ...(draft.receipt ? { receipt: draft.receipt } : {}),
    };
    this.turn.done = true;
    this.turn.replies.push({ kind: 'text', text: TEXT.cancelled });
  }

  private submitted(receiptCode: string): undefined {
    const draft = this.draft;
    const photoIds = draft.photos.map((photo) => photo.id);
    if (photoIds.length > 0) this.turn.effects.push({ kind: 'delete-photos', ids: photoIds });
    if (draft.menu?.messageRef)
      this.turn.replies.push({ kind: 'retire-menu', messageRef: draft.menu.messageRef });
    // Only the receipt stays, until the message that carries it was delivered.
    this.turn.draft = { ...emptyDraft(), menuCount: draft.menuCount, receipt: receiptCode };
    this.turn.done = true;
    this.turn.replies.push({ kind: 'text', text: TEXT.sent(receiptCode) });
  }

  // ——— photos and places ———

  private photo(declaredBytes: number | undefined, input: Extract<FlowInput, { kind: 'photo' }>): undefined {
    const draft = this.draft;
    if ((draft.step !== 'photos' && draft.step !== 'description') || draft.aside) return this.hint();
    const early = draft.step === 'description';
    const menu = early ? undefined : this.photoMenu();
    if (draft.photos.length >= MAX_PHOTOS)
      return this.say(early ? TEXT.photoLimitEarly : TEXT.photoLimit, menu);
    if (declaredBytes !== undefined && declaredBytes > MAX_PHOTO_BYTES)
      return this.say(TEXT.photoTooLarge, menu);
    this.turn.effects.push({
      kind: 'store-photo',
      source: input.source,
      ...(input.caption ? { caption: input.caption } : {}),
    });
  }

  private photoStored(photo: Draft['photos'][number], caption: string | undefined): undefined {
    const draft = this.draft;
    draft.photos.push(photo);
    const early = draft.step === 'description';
    if (early && caption) {
      // A photo with a caption at the description step: the caption is the description.
      const parsed = DescriptionSchema.safeParse(toNfc(caption));
      if (parsed.success && MEANINGFUL.test(parsed.data)) {
        draft.description = parsed.data;
        return this.advance('photos');
      }
    }
    if (early) return this.say(TEXT.photoKeptForLater(draft.photos.length));
    this.say(TEXT.photoReceived(draft.photos.length), this.photoMenu());
  }

  private photoProblemText(problem: Extract<FlowInput, { kind: 'photo-failed' }>['problem']): string {
    switch (problem) {
      case 'too_large':
        return TEXT.photoTooLarge;
      case 'not_image':
        return TEXT.photoNotImage;
      case 'expired':
        return TEXT.photoExpired;
      default:
        return TEXT.photoFailed;
    }
  }

  private location(latitude: number, longitude: number): undefined {
    const draft = this.draft;
    if ((draft.step !== 'province' && draft.step !== 'commune') || draft.aside) return this.hint();
    const located = this.env.places.communeAt(latitude, longitude);
    if (located.kind === 'outside') return this.hint(TEXT.locationOutside);
    draft.location = { latitude, longitude };
    if (located.kind === 'unplaced') return this.repeatMenu(TEXT.locationNotPlaced);
    const { commune } = located;
    draft.aside = { kind: 'located', provinceCode: commune.provinceCode, communeCode: commune.code };
    this.say(this.locatedText(commune.provinceCode, commune.code), {
      options: [
        { id: 'yes', label: BUTTONS.yesThisPlace },
        { id: 'no', label: BUTTONS.noTypePlace },
      ],
    });
  }

  private locatedText(provinceCode: string, communeCode: string): string {
    const commune = this.env.places.commune(communeCode);
    return TEXT.located(commune?.name ?? communeCode, this.provinceName(provinceCode));
  }

  // ——— texts ———

  private provinceName(code: string | undefined): string {
    return (code && this.env.places.province(code)?.name) || 'tỉnh đã chọn';
  }

  private summaryText(): string {
    const draft = this.draft;
    const commune = draft.communeCode ? this.env.places.commune(draft.communeCode) : undefined;
    const place = commune
      ? `${commune.name}, ${this.provinceName(commune.provinceCode)}`
      : draft.communeUnknown
        ? `${this.provinceName(draft.provinceCode)} (${TEXT.communeUnknownInSummary})`
        : '—';
    const description = draft.description ?? '';
    return [
      TEXT.summaryTitle,
      `• Loại: ${draft.category ? CATEGORY_LABELS[draft.category] : '—'}`,
      `• Địa điểm: ${place}`,
      ...(draft.location ? ['• Vị trí: đã gửi (chỉ nằm trong tin đã mã hóa)'] : []),
      `• Nơi xảy ra: ${draft.venueType ? VENUE_LABELS[draft.venueType] : '—'}`,
      `• Thời gian: ${draft.observed ? WHEN_LABELS[draft.observed] : '—'}`,
      `• Mô tả: ${description}`,
      `• Ảnh: ${draft.photos.length}`,
      `• Đồng ý được hỏi thêm: ${draft.followUpConsent ? 'Có' : 'Không'}`,
      '',
      TEXT.summaryFooter,
    ].join('\n');
  }

  private statusText(code: string, result: Extract<FlowInput, { kind: 'status-result' }>['result']): string {
    switch (result.kind) {
      case 'found':
        return TEXT.status(code, result.status);
      case 'not_found':
        return TEXT.statusNotFound(code);
      case 'busy':
        return TEXT.statusBusy;
      case 'not_configured':
        return TEXT.statusComing(code);
      default:
        return TEXT.statusUnavailable;
    }
  }
}

function isWord(text: string, words: string[]): boolean {
  return words.includes(text.replace(/[.!?\s]+$/u, ''));
}
