import { findAll, formsOf, type HtmlNode, type PageForm, parseHtml, textOf } from './html-page';

/** One page as a plain HTTP client sees it: status, headers, the markup and its parts. */
export interface WebPage {
  url: string;
  status: number;
  headers: Headers;
  html: string;
  root: HtmlNode;
  forms: PageForm[];
  /** The texts TinBao says on the page (the conversation's replies, notices), in order. */
  replies: string[];
}

export interface Submission {
  form: PageForm;
  fields: [string, string][];
  files?: { name: string; bytes: Uint8Array; type: string; filename: string }[];
}

/**
 * A browser without a browser: fetch with one cookie jar and a client address of its own
 * (X-Forwarded-For, which the test gateway trusts from loopback), following the form's
 * post/redirect/get by hand, so every response (each redirect too) can be checked.
 */
export class WebClient {
  readonly cookies = new Map<string, string>();
  /** Every response this client received, redirects included. */
  readonly responses: { url: string; status: number; headers: Headers; body: string }[] = [];
  /** Milliseconds of each request, its redirects included (a step: POST, 303, GET). */
  readonly timings: number[] = [];
  page: WebPage | undefined;
  last: Submission | undefined;

  constructor(
    readonly base: string,
    readonly address: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return { 'x-forwarded-for': this.address, ...(cookie ? { cookie } : {}), ...extra };
  }

  private keepCookies(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const [name = '', ...value] = pair.split('=');
      const expired = attributes.some(
        (attribute) => /^max-age=0$/i.test(attribute) || /^expires=thu, 01 jan 1970/i.test(attribute),
      );
      if (expired || value.join('=') === '') this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
  }

  /** One request, redirects followed (303 → GET), the final page parsed. */
  async request(
    path: string,
    init: {
      method?: string;
      body?: FormData | URLSearchParams | string;
      headers?: Record<string, string>;
    } = {},
  ) {
    const started = performance.now();
    let url = new URL(path, this.base).toString();
    let response = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: this.headers(init.headers),
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    for (let hops = 0; ; hops++) {
      this.keepCookies(response);
      const body = await response.text();
      this.responses.push({ url, status: response.status, headers: response.headers, body });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location && hops < 5) {
        url = new URL(location, url).toString();
        response = await fetch(url, { redirect: 'manual', headers: this.headers() });
        continue;
      }
      this.page = parsePage(url, response.status, response.headers, body);
      this.timings.push(performance.now() - started);
      return this.page;
    }
  }

  async open(path = '/') {
    return this.request(path);
  }

  /** Posts a form of the current page, as a browser would from the given fields. */
  async submit(submission: Submission, headers: Record<string, string> = {}) {
    this.last = submission;
    const { form, fields, files } = submission;
    let body: FormData | URLSearchParams;
    if (form.enctype === 'multipart/form-data') {
      const data = new FormData();
      for (const [name, value] of fields) data.append(name, value);
      for (const file of files ?? [])
        data.append(file.name, new Blob([Buffer.from(file.bytes)], { type: file.type }), file.filename);
      body = data;
    } else {
      body = new URLSearchParams(fields);
    }
    return this.request(form.action, { method: form.method.toUpperCase(), body, headers });
  }

  /** Sends the last submission again, exactly (a reload, a double click, an old tab). */
  async replay(headers: Record<string, string> = {}) {
    if (!this.last) throw new Error('nothing was submitted yet');
    return this.submit(this.last, headers);
  }
}

export function parsePage(url: string, status: number, headers: Headers, html: string): WebPage {
  const root = parseHtml(html);
  const marked = findAll(root, (node) => 'data-reply' in node.attrs);
  const main = findAll(root, (node) => node.tag === 'main')[0];
  const replies = marked.length > 0 ? marked.map(textOf) : main ? [textOf(main)] : [];
  return { url, status, headers, html, root, forms: formsOf(root), replies };
}

/** The hidden fields of a form (its CSRF token and menu seq). */
export const hiddenFields = (form: PageForm): [string, string][] =>
  form.controls
    .filter((control) => control.type === 'hidden')
    .map((control) => [control.name, control.value]);
