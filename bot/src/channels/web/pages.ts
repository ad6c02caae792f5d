import { MAX_ANSWER_LENGTH, MAX_DESCRIPTION_LENGTH } from '@tinbao/shared';
import { BACK } from '../../conversation/menus';
import type { Reply } from '../../conversation/types';
import { WEB_TEXT, webWording } from './copy';
import { Html, html, join } from './html';
import type { StoredPage } from './page-store';

/**
 * Server-rendered pages of the web form: no script, no external URL, one stylesheet served
 * by TinBao. Each step is a plain `<form method="post">` carrying the draft's CSRF token and
 * the seq of the menu it answers.
 */

export const PATHS = {
  home: '/',
  start: '/bat-dau',
  form: '/tin-bao',
  wait: '/cho',
  done: '/xong',
  status: '/tra-cuu',
  answer: '/tra-cuu/tra-loi',
  css: '/tinbao.css',
} as const;

interface LayoutOptions {
  title?: string;
  /** Seconds before the page reloads itself (the slow-down page). */
  refreshSeconds?: number;
}

export function layout(body: Html, options: LayoutOptions = {}): string {
  const title = options.title ? `${options.title} · ${WEB_TEXT.siteName}` : WEB_TEXT.title;
  return `<!doctype html>${html`<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">${
    options.refreshSeconds ? html`<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ''
  }<title>${title}</title><link rel="stylesheet" href="${PATHS.css}"></head><body><header><a class="brand" href="${PATHS.home}">${WEB_TEXT.siteName}</a></header><main>${body}</main><footer><a href="${PATHS.status}">${WEB_TEXT.statusLink}</a> · <a href="${PATHS.home}">${WEB_TEXT.homeLink}</a></footer></body></html>`}`;
}

/** A text of the conversation as paragraphs; "• " lines become a list. */
function textBlock(text: string, className = 'reply'): Html {
  const lines = webWording(text).split('\n');
  const parts: Html[] = [];
  let bullets: string[] = [];
  const flush = () => {
    if (bullets.length > 0)
      parts.push(html`<ul class="summary">${bullets.map((item) => html`<li>${item}</li>`)}</ul>`);
    bullets = [];
  };
  for (const line of lines) {
    if (line.startsWith('• ')) {
      bullets.push(line.slice(2));
      continue;
    }
    flush();
    if (line.trim()) parts.push(html`<p>${line}</p>`);
  }
  flush();
  return html`<div class="${className}" data-reply>${parts}</div>`;
}

/** A text as lines inside a legend (phrasing content only). */
function legendLines(text: string): Html {
  return join(
    webWording(text)
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => html`<span class="line">${line}</span>`),
  );
}

const notice = (text: string | undefined) =>
  text ? html`<p class="notice" role="alert" data-reply>${text}</p>` : '';

const hidden = (csrf: string, menu: number | undefined) =>
  html`<input type="hidden" name="csrf" value="${csrf}">${
    menu === undefined ? '' : html`<input type="hidden" name="menu" value="${menu}">`
  }`;

/** The welcome page: what the form does and does not record, and how to open it in Tor Browser. */
export function welcomePage(options: { hasDraft: boolean; notice?: string }): string {
  return layout(html`${notice(options.notice)}<h1>${WEB_TEXT.title}</h1><p>${WEB_TEXT.intro}</p><p>${WEB_TEXT.privacy}</p>
<form method="post" action="${PATHS.start}" class="row">${
    options.hasDraft ? html`<a href="${PATHS.form}">${WEB_TEXT.continueDraft}</a>` : ''
  }<button type="submit">${WEB_TEXT.startButton}</button></form>
<h2>${WEB_TEXT.recordedTitle}</h2><ul>${WEB_TEXT.recorded.map((item) => html`<li>${item}</li>`)}</ul>
<h2>${WEB_TEXT.notRecordedTitle}</h2><ul>${WEB_TEXT.notRecorded.map((item) => html`<li>${item}</li>`)}</ul>
<h2>${WEB_TEXT.torTitle}</h2><ol>${WEB_TEXT.tor.map((item) => html`<li>${item}</li>`)}</ol>
<p>${WEB_TEXT.sharedPhone}</p>`);
}

/** The receipt: the code large and selectable in one tap, how to check it, one warning. */
export function receiptPage(receipt: string, csrf: string): string {
  return layout(
    html`<h1>${WEB_TEXT.receiptTitle}</h1><div data-reply><p>${WEB_TEXT.receiptThanks}</p>
<p>${WEB_TEXT.receiptCodeLabel}:</p><p class="receipt" data-receipt>${receipt}</p>
<p>${WEB_TEXT.receiptHowToCheck}</p></div><p class="warning" data-reply>${WEB_TEXT.receiptWarning}</p>
<p><a href="${PATHS.status}">${WEB_TEXT.statusLink}</a></p>
<form method="post" action="${PATHS.done}" class="row">${hidden(csrf, undefined)}<button type="submit" class="secondary">${WEB_TEXT.receiptDone}</button></form>
<form method="post" action="${PATHS.start}" class="row"><button type="submit" class="secondary">${WEB_TEXT.anotherTip}</button></form>`,
    { title: WEB_TEXT.receiptTitle },
  );
}

/** An open question's answer form on the status page: the core's menu option and its label. */
export interface StatusQuestionForm {
  option: string;
  label: string;
}

export function statusPage(options: {
  answers?: string[];
  code?: string;
  questions?: StatusQuestionForm[];
}): string {
  const questionForms = (options.questions ?? []).map(
    (question) =>
      html`<form method="post" action="${PATHS.answer}" class="answer"><input type="hidden" name="code" value="${options.code ?? ''}"><input type="hidden" name="option" value="${question.option}">
<label class="field" for="text-${question.option}">${question.label}</label>
<textarea id="text-${question.option}" name="text" rows="4" maxlength="${String(MAX_ANSWER_LENGTH)}"></textarea>
<div class="row"><button type="submit">${WEB_TEXT.answerButton}</button></div></form>`,
  );
  return layout(
    html`<h1>${WEB_TEXT.statusTitle}</h1>${(options.answers ?? []).map((answer) => html`<p class="notice" role="status" data-reply>${answer}</p>`)}
${questionForms}<form method="post" action="${PATHS.status}"><p>${WEB_TEXT.statusIntro}</p><label class="field" for="code">${WEB_TEXT.statusLabel}</label>
<input type="text" id="code" name="code" maxlength="40" autocomplete="off" autocapitalize="characters" spellcheck="false" value="${options.code ?? ''}">
<div class="row"><button type="submit">${WEB_TEXT.statusButton}</button></div></form>`,
    { title: WEB_TEXT.statusTitle },
  );
}

export function waitPage(options: { ticket: string; seconds: number }): string {
  const ready = options.seconds <= 0;
  return layout(
    html`<h1>${WEB_TEXT.waitTitle}</h1><p data-reply>${ready ? WEB_TEXT.waitReady : WEB_TEXT.wait(options.seconds)}</p>
<form method="post" action="${PATHS.start}" class="row"><input type="hidden" name="ticket" value="${options.ticket}"><button type="submit">${WEB_TEXT.next}</button></form>`,
    { title: WEB_TEXT.waitTitle, ...(ready ? {} : { refreshSeconds: options.seconds }) },
  );
}

/** A page of the web layer alone (an error, a refusal) with a way on. */
export function messagePage(
  text: string,
  options: { start?: boolean; back?: boolean; title?: string } = {},
): string {
  return layout(
    html`<p class="notice" role="alert" data-reply>${text}</p>${
      options.back ? html`<p><a href="${PATHS.form}">${WEB_TEXT.tryAgain}</a></p>` : ''
    }${
      options.start
        ? html`<form method="post" action="${PATHS.start}" class="row"><button type="submit">${WEB_TEXT.startButton}</button></form>`
        : ''
    }`,
    options.title ? { title: options.title } : {},
  );
}

type MenuReply = Extract<Reply, { kind: 'menu' }>;

/** The page of one step, drawn from the turn's replies and where they leave the draft. */
export function stepPage(page: StoredPage, csrf: string): string {
  const { context } = page;
  if (context.receipt) return receiptPage(context.receipt, csrf);
  const menu = context.menu;
  const menus = page.replies.filter((reply): reply is MenuReply => reply.kind === 'menu');
  const question = [...menus].reverse().find((reply) => reply.seq === menu?.seq);
  const blocks = page.replies.flatMap((reply) => {
    if (reply.kind === 'retire-menu' || reply === question) return [];
    return [textBlock(reply.text)];
  });
  const head = html`${notice(page.notice)}${blocks}`;

  if (context.step === 'idle' && !context.aside) {
    return layout(
      html`${head}<form method="post" action="${PATHS.start}" class="row"><button type="submit">${WEB_TEXT.startButton}</button></form>`,
    );
  }
  const options = (menu?.options ?? []).map((id, index) => ({ id, label: menu?.labels[index] ?? id }));
  const back = options.find((option) => option.id === BACK);
  const choices = options.filter((option) => option.id !== BACK);
  const seq = menu?.seq;
  const questionText = question?.text ?? '';
  const backButton = back
    ? html`<button type="submit" name="back" value="1" class="secondary" formnovalidate>${back.label}</button>`
    : '';
  const cancelForm = html`<form method="post" action="${PATHS.form}">${hidden(csrf, seq)}<button type="submit" name="cancel" value="1" class="link">${WEB_TEXT.cancelDraft}</button></form>`;
  const actions = (primary: Html | string = '') =>
    html`<div class="row">${primary}${choices.map(
      (option) => html`<button type="submit" name="option" value="${option.id}">${option.label}</button>`,
    )}${backButton}</div>`;
  const radios = (columns: boolean) =>
    choices.length === 0
      ? html`${questionText ? textBlock(questionText) : ''}`
      : html`<fieldset class="choices${columns ? ' columns' : ''}"><legend data-reply>${questionText ? legendLines(questionText) : WEB_TEXT.choicesLegend}</legend>${choices.map(
          (option, index) =>
            html`<label><input type="radio" name="option" value="${option.id}"${index === 0 ? new Html(' required') : ''}> <span>${option.label}</span></label>`,
        )}</fieldset>`;
  const next = html`<button type="submit">${WEB_TEXT.next}</button>`;

  // Asides (really cancel?) and the summary are actions: one button each.
  if (context.aside || context.step === 'summary') {
    return layout(
      html`${head}<form method="post" action="${PATHS.form}">${hidden(csrf, seq)}${questionText ? textBlock(questionText, 'reply question') : ''}${actions()}</form>`,
    );
  }
  switch (context.step) {
    case 'province':
    case 'commune': {
      const label = context.step === 'province' ? WEB_TEXT.provinceSearchLabel : WEB_TEXT.communeSearchLabel;
      const search = html`<form method="post" action="${PATHS.form}" class="search">${hidden(csrf, seq)}<label class="field" for="q">${label}</label><input type="search" id="q" name="text" maxlength="100" autocomplete="off" required><div class="row"><button type="submit">${WEB_TEXT.search}</button></div></form>`;
      const chosen =
        choices.length > 0
          ? html`<form method="post" action="${PATHS.form}">${hidden(csrf, seq)}${radios(context.step === 'province')}<div class="row">${next}${backButton}</div></form>`
          : html`<form method="post" action="${PATHS.form}">${hidden(csrf, seq)}<div class="row">${backButton}</div></form>`;
      const intro = choices.length === 0 && questionText ? textBlock(questionText, 'reply question') : '';
      return layout(html`${head}${intro}${search}${chosen}${cancelForm}`);
    }
    case 'description':
      return layout(
        html`${head}<form method="post" action="${PATHS.form}">${hidden(csrf, seq)}${questionText ? textBlock(questionText, 'reply question') : ''}<label class="field" for="text">${WEB_TEXT.descriptionLabel}</label><textarea id="text" name="text" maxlength="${MAX_DESCRIPTION_LENGTH}" required></textarea><div class="row">${next}${backButton}</div></form>${cancelForm}`,
      );
    case 'photos':
      return layout(
        html`${head}<form method="post" action="${PATHS.form}" enctype="multipart/form-data">${hidden(csrf, seq)}${questionText ? textBlock(questionText, 'reply question') : ''}<label class="field" for="photos">${WEB_TEXT.photoLabel}</label><input type="file" id="photos" name="photos" accept="image/*" multiple>${actions(html`<button type="submit" name="upload" value="1">${WEB_TEXT.upload}</button>`)}</form>${cancelForm}`,
      );
    default:
      return layout(
        html`${head}<form method="post" action="${PATHS.form}">${hidden(csrf, seq)}${radios(false)}<div class="row">${choices.length > 0 ? next : ''}${backButton}</div></form>${cancelForm}`,
      );
  }
}
