import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, normalizeReceiptCode, toNfc } from '@tinbao/shared';
import { ReceiptStatusSchema } from '@tinbao/shared/api/tips';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { DraftMenu } from '../../conversation/draft';
import type { DeliveryContext } from '../../conversation/engine';
import { BACK } from '../../conversation/menus';
import { TEXT } from '../../conversation/messages';
import type { Reply, ResidentInput } from '../../conversation/types';
import { errorSummary } from '../../errors';
import type { Pseudonyms } from '../../submission/pseudonyms';
import type { Resident } from '../../submission/submit';
import type { ChannelAdapter, EventHandler } from '../port';
import { type AbuseGuard, type AbuseLimits, createAbuseGuard, DEFAULT_ABUSE_LIMITS } from './abuse';
import { WEB_CAPABILITIES, WEB_TEXT } from './copy';
import { FormError, MAX_FIELD_BYTES, type PostedForm, readMultipart } from './form';
import { createPageStore, type PageStore, pageOf } from './page-store';
import {
  messagePage,
  PATHS,
  type StatusQuestionForm,
  statusPage,
  stepPage,
  waitPage,
  welcomePage,
} from './pages';
import { createWebSessions } from './session';

export { WEB_CAPABILITIES } from './copy';

/** The draft cookie lives this long after the resident's last step ("short-lived"). */
export const WEB_COOKIE_SECONDS = 3600;

/** Sent with every response: no script, nothing framed, nothing cached, no referrer. */
export const WEB_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface WebAdapterDeps {
  port: number;
  host?: string;
  /** Where the last page of each draft waits: the drafts' Redis (it keeps nothing on disk). */
  redis: Redis;
  redisPrefix: string;
  /** The bot's draft key: the stored pages are encrypted under it, the cookie MAC derived from it. */
  draftKey: Uint8Array;
  pseudonyms: Pseudonyms;
  logger: Logger;
  /**
   * Express's `trust proxy`: which proxies may name the client address in X-Forwarded-For
   * (and HTTPS in X-Forwarded-Proto). Off by default: the connection's own address counts.
   */
  trustProxy?: boolean | string | number;
  limits?: Partial<AbuseLimits>;
  /** Tests: a clock for the abuse guard. */
  now?: () => number;
}

export interface WebAdapter extends ChannelAdapter {
  /** Where the form listens once started, e.g. http://127.0.0.1:8090. */
  url(): string;
  readonly abuse: AbuseGuard;
}

/** The stylesheet, its comments and spacing taken out (every byte counts on 2G). */
const CSS = readFileSync(new URL('./tinbao.css', import.meta.url), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\s*([{}:;,>])\s*/g, '$1')
  .replace(/\s+/g, ' ')
  .replace(/;}/g, '}')
  .trim();

/**
 * The web form: the tip conversation as server-rendered pages without JavaScript, each step
 * a plain form posted back to the gateway (post/redirect/get), over the same conversation
 * core as the messengers. The resident is an opaque random draft id in one cookie; the
 * pseudonym scope is `web`, so a web draft is stored exactly like a messenger's.
 */
export function createWebAdapter(deps: WebAdapterDeps): WebAdapter {
  const sessions = createWebSessions(deps.draftKey);
  const pages: PageStore = createPageStore({
    redis: deps.redis,
    redisPrefix: deps.redisPrefix,
    draftKey: deps.draftKey,
    pseudonyms: deps.pseudonyms,
    ttlSeconds: WEB_COOKIE_SECONDS,
  });
  const abuse = createAbuseGuard({ ...DEFAULT_ABUSE_LIMITS, ...deps.limits }, deps.now);
  let handler: EventHandler | undefined;
  let server: Server | undefined;
  let address = '';
  // One request at a time per draft (a double «Gửi» waits for the first), in memory only.
  const chains = new Map<string, Promise<unknown>>();

  function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = chains.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    chains.set(key, next);
    void next
      .finally(() => {
        if (chains.get(key) === next) chains.delete(key);
      })
      .catch(() => {});
    return next;
  }

  const residentOf = (draftId: string): Resident => ({
    channel: 'web',
    scope: 'web',
    userId: draftId,
    chatId: draftId,
  });

  /**
   * Runs the inputs of one request through the conversation (several photos of one upload in
   * turn), stores the page they lead to and returns it; undefined when the engine failed.
   */
  async function converse(draftId: string, inputs: ResidentInput[], notice?: string) {
    if (!handler) throw new Error('web adapter not started');
    let replies: Reply[] = [];
    let context: DeliveryContext | undefined;
    let failed = false;
    for (const [index, original] of inputs.entries()) {
      // The next photo of one upload answers the menu the previous photo left.
      let input = original;
      if (index > 0 && context?.menu && (input.kind === 'photo' || input.kind === 'text'))
        input = { ...input, menu: context.menu.seq };
      if (index > 0 && input.kind === 'choice') {
        if (!context?.menu?.options.includes(input.option)) continue;
        input = { ...input, menu: context.menu.seq };
      }
      await handler({ resident: residentOf(draftId), input }, async (turnReplies, turnContext) => {
        if (!turnContext) {
          failed = true;
          return {};
        }
        replies = [...replies, ...turnReplies];
        context = turnContext;
        // Written before the turn counts as delivered: a stored receipt is never lost here.
        await pages.write(draftId, pageOf(replies, context, notice));
        return {};
      });
      if (failed) return undefined;
    }
    return context ? pageOf(replies, context, notice) : undefined;
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);

  app.use((_request, response, next) => {
    response.set(WEB_SECURITY_HEADERS);
    next();
  });

  const cookieName = (request: Request) => (request.secure ? '__Host-tinbao' : 'tinbao');
  const cookieOf = (request: Request): string | undefined => {
    const name = cookieName(request);
    for (const part of (request.headers.cookie ?? '').split(';')) {
      const [key, ...value] = part.trim().split('=');
      if (key === name) return value.join('=');
    }
    return undefined;
  };
  const setCookie = (request: Request, response: Response, value: string, maxAge = WEB_COOKIE_SECONDS) => {
    response.cookie(cookieName(request), value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.secure,
      path: '/',
      maxAge: maxAge * 1000,
    });
  };
  const draftOf = (request: Request) => sessions.open(cookieOf(request));
  const clientOf = (request: Request) => request.ip ?? 'unknown';
  const send = (response: Response, status: number, page: string) =>
    response.status(status).type('html').send(page);

  // A browser that says the form came from another site: refused (with SameSite=Strict the
  // cookie would be missing anyway; this also stops a cross-site "start" replacing a draft).
  const sameSiteOnly = (request: Request, response: Response, next: NextFunction) => {
    if (request.headers['sec-fetch-site'] === 'cross-site')
      return send(response, 403, messagePage(WEB_TEXT.crossSite));
    next();
  };
  const rateLimited = (request: Request, response: Response, next: NextFunction) => {
    if (abuse.request(clientOf(request))) return next();
    response.set('Retry-After', '60');
    return send(response, 429, messagePage(WEB_TEXT.tooManyRequests, { back: true }));
  };
  const urlencoded = express.urlencoded({ extended: false, limit: MAX_FIELD_BYTES, parameterLimit: 20 });
  /** Urlencoded or multipart: the form's fields (first value of each) and its files. */
  const readForm = async (request: Request): Promise<PostedForm> => {
    if (request.is('multipart/form-data')) return readMultipart(request);
    await new Promise<void>((resolve, reject) =>
      urlencoded(request, request.res as Response, (error?: unknown) => (error ? reject(error) : resolve())),
    );
    const body = (request.body ?? {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(body)) {
      const first = Array.isArray(value) ? value[0] : value;
      if (typeof first === 'string') fields[name] = first;
    }
    return { fields, files: [], extraFiles: false };
  };

  app.get(PATHS.css, (_request, response) => {
    response.type('css').send(CSS);
  });

  app.get(PATHS.home, rateLimited, async (request, response) => {
    const draftId = draftOf(request);
    const page = draftId ? await pages.read(draftId) : undefined;
    send(response, 200, welcomePage({ hasDraft: Boolean(page && !page.context.receipt) }));
  });

  app.post(PATHS.start, sameSiteOnly, rateLimited, async (request, response) => {
    const form = await readForm(request);
    const verdict = abuse.startDraft(clientOf(request), form.fields.ticket);
    if (verdict.kind === 'wait')
      return response.redirect(303, `${PATHS.wait}?ve=${encodeURIComponent(verdict.ticket)}`);
    if (verdict.kind === 'busy') {
      response.set('Retry-After', String(verdict.seconds));
      return send(response, 503, messagePage(WEB_TEXT.busy(verdict.seconds)));
    }
    const previous = draftOf(request);
    if (previous) await pages.delete(previous);
    const { draftId, cookie } = sessions.issue();
    const page = await serialised(draftId, () =>
      converse(draftId, [{ kind: 'choice', menu: 0, option: 'start' }]),
    );
    if (!page) return send(response, 503, messagePage(TEXT.tryAgainLater, { start: true }));
    setCookie(request, response, cookie);
    response.redirect(303, PATHS.form);
  });

  app.get(PATHS.wait, rateLimited, (request, response) => {
    const ticket = typeof request.query.ve === 'string' ? request.query.ve : '';
    const seconds = abuse.ticketWait(ticket);
    if (seconds === undefined) return response.redirect(303, PATHS.home);
    send(response, 200, waitPage({ ticket, seconds }));
  });

  app.get(PATHS.form, rateLimited, async (request, response) => {
    const draftId = draftOf(request);
    if (!draftId) return response.redirect(303, PATHS.home);
    let page = await pages.read(draftId);
    // No page kept (it expired, or another gateway process drew it): the draft's step again.
    if (!page) {
      page = await serialised(draftId, () => converse(draftId, [{ kind: 'text', text: '/start' }]));
      if (!page) return send(response, 503, messagePage(TEXT.tryAgainLater, { back: true }));
      if (page.context.step === 'idle' && !page.context.receipt)
        page = { ...page, notice: WEB_TEXT.draftGone };
    }
    setCookie(request, response, cookieOf(request) ?? '');
    send(response, 200, stepPage(page, sessions.csrfToken(draftId)));
  });

  app.post(PATHS.form, sameSiteOnly, rateLimited, async (request, response) => {
    const form = await readForm(request);
    const draftId = draftOf(request);
    if (!draftId) return send(response, 400, messagePage(WEB_TEXT.noCookie, { start: true }));
    if (!sessions.checkCsrf(draftId, form.fields.csrf)) {
      const current = await pages.read(draftId);
      if (!current) return send(response, 403, messagePage(WEB_TEXT.foreignForm, { start: true }));
      return send(
        response,
        403,
        stepPage({ ...current, notice: WEB_TEXT.foreignForm }, sessions.csrfToken(draftId)),
      );
    }
    const client = clientOf(request);
    const result = await serialised(draftId, async () => {
      const before = await pages.read(draftId);
      // The draft was sent already (a second «Gửi», a reload of an old page): its receipt again.
      if (before?.context.receipt) return 'shown';
      const inputs = inputsOf(form);
      const sending = inputs.some((input) => input.kind === 'choice' && input.option === 'send');
      if (sending && before?.context.step === 'summary' && !abuse.maySubmit(client)) {
        await pages.write(draftId, { ...before, notice: WEB_TEXT.submitLimited });
        return 'shown';
      }
      const page = await converse(draftId, inputs, form.extraFiles ? WEB_TEXT.photoLimitWeb : undefined);
      if (!page) return 'failed';
      if (page.context.receipt) abuse.countSubmission(client);
      if (!before && page.context.step === 'idle' && !page.context.receipt)
        await pages.write(draftId, { ...page, notice: WEB_TEXT.draftGone });
      return 'shown';
    });
    if (result === 'failed') return send(response, 503, messagePage(TEXT.tryAgainLater, { back: true }));
    setCookie(request, response, cookieOf(request) ?? '');
    response.redirect(303, PATHS.form);
  });

  app.post(PATHS.done, sameSiteOnly, rateLimited, async (request, response) => {
    const form = await readForm(request);
    const draftId = draftOf(request);
    if (draftId && sessions.checkCsrf(draftId, form.fields.csrf)) await pages.delete(draftId);
    response.clearCookie(cookieName(request), {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.secure,
      path: '/',
    });
    response.redirect(303, PATHS.home);
  });

  /** Turns of a resident who is nobody: a fresh id, never a cookie; `forget` leaves no draft behind. */
  const turnsOfNobody = () => {
    if (!handler) throw new Error('web adapter not started');
    const run = handler;
    const resident = residentOf(sessions.issue().draftId);
    let last: DeliveryContext | undefined;
    const turn = async (input: ResidentInput) => {
      const texts: string[] = [];
      let context: DeliveryContext | undefined;
      await run({ resident, input }, async (replies, turnContext) => {
        for (const reply of replies) if (reply.kind !== 'retire-menu') texts.push(reply.text);
        context = turnContext;
        return {};
      });
      last = context;
      return { texts, context };
    };
    return {
      run: turn,
      /** An offer or a question still waiting is dismissed (its replies unused): the draft goes. */
      async forget() {
        const menu = last?.menu;
        if (!menu) return;
        if (last?.aside === 'answer-offer') await turn({ kind: 'choice', menu: menu.seq, option: 'later' });
        else if (last?.aside === 'answer')
          await turn({ kind: 'choice', menu: menu.seq, option: 'cancel_answer' });
      },
    };
  };
  const questionFormsOf = (menu: DraftMenu): StatusQuestionForm[] =>
    menu.options.flatMap((option, index) =>
      option.startsWith('answer_') ? [{ option, label: menu.labels[index] ?? option }] : [],
    );
  /** The status look-up through the core, and the answer forms of the open questions it found. */
  const lookUpStatus = async (code: string) => {
    const turns = turnsOfNobody();
    const { texts, context } = await turns.run({ kind: 'text', text: `/trangthai ${code}` });
    const questions = context?.aside === 'answer-offer' && context.menu ? questionFormsOf(context.menu) : [];
    await turns.forget();
    return { answers: texts, questions };
  };

  app.get(PATHS.status, rateLimited, (_request, response) => {
    send(response, 200, statusPage({}));
  });

  // The same look-up as the bots' /trangthai, through the conversation core, for a resident
  // who is nobody: a fresh id per look-up, never a cookie. Limited per address in memory.
  app.post(PATHS.status, sameSiteOnly, rateLimited, async (request, response) => {
    const form = await readForm(request);
    const code = toNfc(form.fields.code ?? '')
      .trim()
      .slice(0, 40);
    if (!code) return send(response, 200, statusPage({ answers: [WEB_TEXT.statusEmpty] }));
    if (!abuse.mayLookUp(clientOf(request)))
      return send(response, 429, statusPage({ answers: [WEB_TEXT.statusTooMany], code }));
    const { answers, questions } = await lookUpStatus(code);
    send(response, 200, statusPage({ answers, code, questions }));
  });

  /**
   * A resident who is nobody (a fresh id per request, as for the look-up) answers an open
   * question: the core runs `/trangthai` again (the question must still be open), the chosen
   * question, then the text, exactly as on the messengers; nothing of it stays behind.
   */
  app.post(PATHS.answer, sameSiteOnly, rateLimited, async (request, response) => {
    const form = await readForm(request);
    const code = toNfc(form.fields.code ?? '')
      .trim()
      .slice(0, 40);
    const option = form.fields.option ?? '';
    if (!code) return send(response, 200, statusPage({ answers: [WEB_TEXT.statusEmpty] }));
    if (!abuse.mayLookUp(clientOf(request)))
      return send(response, 429, statusPage({ answers: [WEB_TEXT.statusTooMany], code }));
    const turns = turnsOfNobody();
    const status = await turns.run({ kind: 'text', text: `/trangthai ${code}` });
    const offer = status.context?.aside === 'answer-offer' ? status.context.menu : undefined;
    if (!offer?.options.includes(option) || !option.startsWith('answer_')) {
      await turns.forget();
      const questions = offer ? questionFormsOf(offer) : [];
      // The tip was found but this question is no longer open (answered, withdrawn): say so first.
      const normalized = normalizeReceiptCode(code);
      const found =
        normalized !== undefined &&
        ReceiptStatusSchema.options.some((stage) => status.texts.includes(TEXT.status(normalized, stage)));
      return send(
        response,
        200,
        statusPage({
          answers: found ? [TEXT.answerNotOpen, ...status.texts] : status.texts,
          code,
          questions,
        }),
      );
    }
    await turns.run({ kind: 'choice', menu: offer.seq, option });
    const answered = await turns.run({ kind: 'text', text: form.fields.text ?? '' });
    const stillAsking = answered.context?.aside === 'answer';
    await turns.forget();
    const label = offer.labels[offer.options.indexOf(option)] ?? '';
    send(
      response,
      200,
      statusPage({
        answers: stillAsking ? [...answered.texts, ...status.texts] : answered.texts,
        code,
        questions: stillAsking ? [{ option, label }] : [],
      }),
    );
  });

  app.use((_request, response) => {
    send(response, 404, messagePage(WEB_TEXT.notFound, { title: WEB_TEXT.notFound }));
  });

  app.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (response.headersSent) return;
    const status = (error as { status?: number }).status;
    if (error instanceof FormError || status === 413 || status === 400) {
      const tooLarge = (error instanceof FormError && error.problem === 'too_large') || status === 413;
      // The connection may still carry the rest of a large upload: answer, then close it.
      if (tooLarge) response.set('Connection', 'close');
      return send(
        response,
        tooLarge ? 413 : 400,
        messagePage(tooLarge ? WEB_TEXT.bodyTooLarge : WEB_TEXT.badRequest, {
          back: Boolean(draftOf(request)),
        }),
      );
    }
    deps.logger.warn({ channel: 'web', err: errorSummary(error) }, 'web form request failed');
    send(response, 500, messagePage(TEXT.tryAgainLater, { back: true }));
  });

  return {
    caps: WEB_CAPABILITIES,
    scope: 'web',
    abuse,
    mode: () => (server ? 'server' : 'idle'),
    url: () => address,
    async start(onEvent) {
      handler = onEvent;
      const listening = app.listen(deps.port, deps.host ?? '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        listening.once('listening', resolve);
        listening.once('error', reject);
      });
      server = listening;
      // Slow uploads on 2G are fine; a connection that sends nothing is not kept forever.
      server.requestTimeout = 10 * 60_000;
      server.headersTimeout = 60_000;
      const { port } = server.address() as AddressInfo;
      address = `http://${deps.host ?? '127.0.0.1'}:${port}`;
      deps.logger.info({ channel: 'web', port }, 'web form listening');
    },
    async stop() {
      const closing = server;
      server = undefined;
      if (!closing) return;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeIdleConnections();
      });
    },
    async sendText() {
      throw new Error('the web form has no addresses to send to');
    },
  };
}

/**
 * What one posted form says, in the core's words: «Hủy tin báo» is the core's /huy,
 * «Quay lại» the menu's back option, files are photos, an empty form is `empty`.
 */
export function inputsOf(form: PostedForm): ResidentInput[] {
  const { fields, files } = form;
  const menu = /^\d{1,7}$/.test(fields.menu ?? '') ? Number(fields.menu) : undefined;
  if (menu === undefined) return [{ kind: 'stale-choice' }];
  if (fields.cancel) return [{ kind: 'text', text: '/huy', menu }];
  if (fields.back) return [{ kind: 'choice', menu, option: BACK }];
  const option = fields.option && /^[A-Za-z0-9_]{1,40}$/.test(fields.option) ? fields.option : undefined;
  if (files.length > 0) {
    const photos: ResidentInput[] = files.map((file) => ({
      kind: 'photo',
      menu,
      source: { declaredBytes: file.truncated ? file.size + 1 : file.size, fetch: async () => file.bytes },
    }));
    return option ? [...photos, { kind: 'choice', menu, option }] : photos;
  }
  if (option) return [{ kind: 'choice', menu, option }];
  if (fields.option !== undefined) return [{ kind: 'stale-choice' }];
  const text = toNfc(fields.text ?? '');
  if (text.trim()) return [{ kind: 'text', text, menu }];
  return [{ kind: 'unsupported', what: 'empty' }];
}
