import { badRequest } from './api-error';
import type { MessageEntity } from './types';

/**
 * Turns a formatted text (parse_mode HTML, MarkdownV2 or Markdown) into plain text plus entities
 * the way Telegram does, with Telegram's error messages, so a bot that forgets to escape a
 * resident's "<" or "." fails here exactly as it would in production.
 * Offsets and lengths are UTF-16 code units, like Telegram's (and like JS string indices).
 */
export function parseFormattedText(
  source: string,
  parseMode: string | undefined,
): { text: string; entities: MessageEntity[] } {
  const mode = parseMode?.toLowerCase();
  if (mode === undefined || mode === '') return { text: source, entities: [] };
  if (mode === 'html') return parseHtml(source);
  if (mode === 'markdownv2') return parseMarkdownV2(source);
  if (mode === 'markdown') return parseMarkdownLegacy(source);
  throw badRequest(`unsupported parse_mode`);
}

const byteOffset = (source: string, index: number) => Buffer.byteLength(source.slice(0, index), 'utf8');

const cantParse = (detail: string) => badRequest(`can't parse entities: ${detail}`);

const HTML_TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  start: number;
  attributes: Record<string, string>;
}

function parseHtml(source: string): { text: string; entities: MessageEntity[] } {
  let text = '';
  const entities: MessageEntity[] = [];
  const stack: OpenTag[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (char === '&') {
      const match = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/.exec(source.slice(index, index + 12));
      const name = match?.[1];
      let decoded: string | undefined;
      if (name?.startsWith('#x')) decoded = safeFromCodePoint(Number.parseInt(name.slice(2), 16));
      else if (name?.startsWith('#')) decoded = safeFromCodePoint(Number.parseInt(name.slice(1), 10));
      else if (name !== undefined) decoded = NAMED_ENTITIES[name];
      if (match && decoded !== undefined) {
        text += decoded;
        index += match[0].length;
      } else {
        // Telegram keeps an '&' that starts no known entity as a literal character.
        text += '&';
        index += 1;
      }
      continue;
    }
    if (char !== '<') {
      text += char;
      index += 1;
      continue;
    }
    const close = source.indexOf('>', index);
    if (close === -1) throw cantParse(`Unclosed start tag at byte offset ${byteOffset(source, index)}`);
    const inner = source.slice(index + 1, close);
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) {
        throw cantParse(`Unexpected end tag at byte offset ${byteOffset(source, index)}`);
      }
      if (name !== '' && name !== open.name) {
        throw cantParse(
          `Unmatched end tag at byte offset ${byteOffset(source, index)}, expected "</${open.name}>", found "</${name}>"`,
        );
      }
      addHtmlEntity(open, text.length, entities, stack);
      index = close + 1;
      continue;
    }
    const tagMatch = /^([a-zA-Z][a-zA-Z0-9-]*)(.*)$/s.exec(inner);
    const name = tagMatch?.[1]?.toLowerCase();
    if (!tagMatch || name === undefined || !(name in HTML_TAGS)) {
      const shown = tagMatch?.[1] ?? inner.split(/\s/)[0] ?? '';
      throw cantParse(`Unsupported start tag "${shown}" at byte offset ${byteOffset(source, index)}`);
    }
    const attributes: Record<string, string> = {};
    for (const attribute of (tagMatch[2] ?? '').matchAll(
      /([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/g,
    )) {
      attributes[attribute[1]!.toLowerCase()] = decodeHtmlAttribute(
        attribute[2] ?? attribute[3] ?? attribute[4] ?? '',
      );
    }
    if (name === 'span' && attributes.class !== 'tg-spoiler') {
      throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, index)}`);
    }
    stack.push({ name, start: text.length, attributes });
    index = close + 1;
  }
  const unclosed = stack.pop();
  if (unclosed) throw cantParse(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities: sortEntities(entities) };
}

function addHtmlEntity(open: OpenTag, end: number, entities: MessageEntity[], stack: OpenTag[]): void {
  const length = end - open.start;
  if (length <= 0) return;
  let type = HTML_TAGS[open.name]!;
  const entity: MessageEntity = { type, offset: open.start, length };
  if (open.name === 'a') {
    const href = open.attributes.href ?? '';
    if (href === '') return;
    entity.url = href;
  }
  if (open.name === 'blockquote' && 'expandable' in open.attributes) type = 'expandable_blockquote';
  if (open.name === 'code') {
    // <pre><code class="language-x"> is one pre entity with a language.
    const parent = stack[stack.length - 1];
    const language = /^language-(.+)$/.exec(open.attributes.class ?? '')?.[1];
    if (parent?.name === 'pre' && language) {
      parent.attributes.language = language;
      return;
    }
  }
  if (open.name === 'pre' && open.attributes.language) entity.language = open.attributes.language;
  if (open.name === 'tg-emoji') return;
  entity.type = type;
  entities.push(entity);
}

function decodeHtmlAttribute(value: string): string {
  return value.replace(/&(lt|gt|amp|quot);/g, (_, name: string) => NAMED_ENTITIES[name] ?? '');
}

function safeFromCodePoint(codePoint: number): string | undefined {
  if (!Number.isFinite(codePoint) || codePoint < 0 || codePoint > 0x10ffff) return undefined;
  return String.fromCodePoint(codePoint);
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

const MARKDOWN_V2_RESERVED = '_*[]()~`>#+-=|{}.!';

function parseMarkdownV2(source: string): { text: string; entities: MessageEntity[] } {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: { marker: string; start: number; sourceIndex: number }[] = [];
  let index = 0;
  const atLineStart = () => index === 0 || source[index - 1] === '\n';
  while (index < source.length) {
    const char = source[index]!;
    if (char === '\\') {
      const next = source[index + 1];
      if (next === undefined)
        throw cantParse(`Can't find escaped character at byte offset ${byteOffset(source, index)}`);
      text += next;
      index += 2;
      continue;
    }
    if (char === '`') {
      const isPre = source.startsWith('```', index);
      const fence = isPre ? '```' : '`';
      const end = findUnescaped(source, fence, index + fence.length);
      if (end === -1)
        throw cantParse(`Can't find end of Pre entity at byte offset ${byteOffset(source, index)}`);
      let body = source.slice(index + fence.length, end);
      let language: string | undefined;
      if (isPre) {
        const newline = body.indexOf('\n');
        if (newline !== -1 && /^[A-Za-z0-9+#_-]+$/.test(body.slice(0, newline))) {
          language = body.slice(0, newline);
          body = body.slice(newline + 1);
        }
      }
      const plain = body.replace(/\\([`\\])/g, '$1');
      if (plain.length > 0) {
        const entity: MessageEntity = {
          type: isPre ? 'pre' : 'code',
          offset: text.length,
          length: plain.length,
        };
        if (language) entity.language = language;
        entities.push(entity);
      }
      text += plain;
      index = end + fence.length;
      continue;
    }
    if (char === '[') {
      open.push({ marker: '[', start: text.length, sourceIndex: index });
      index += 1;
      continue;
    }
    if (char === ']' && open[open.length - 1]?.marker === '[') {
      const link = open.pop()!;
      if (source[index + 1] !== '(')
        throw cantParse(`Can't find end of the entity at byte offset ${byteOffset(source, index)}`);
      const urlEnd = findUnescaped(source, ')', index + 2);
      if (urlEnd === -1)
        throw cantParse(`Can't find end of a URL at byte offset ${byteOffset(source, index)}`);
      const url = source.slice(index + 2, urlEnd).replace(/\\([)\\])/g, '$1');
      if (text.length > link.start)
        entities.push({ type: 'text_link', offset: link.start, length: text.length - link.start, url });
      index = urlEnd + 1;
      continue;
    }
    if (char === '>' && atLineStart()) {
      // A quote line: kept simple, the marker is dropped and the line becomes a blockquote.
      const lineEnd = source.indexOf('\n', index);
      const quoteStart = text.length;
      index += 1;
      const rest = parseMarkdownV2(source.slice(index, lineEnd === -1 ? source.length : lineEnd));
      for (const entity of rest.entities) entities.push({ ...entity, offset: entity.offset + quoteStart });
      text += rest.text;
      if (rest.text.length > 0)
        entities.push({ type: 'blockquote', offset: quoteStart, length: rest.text.length });
      index = lineEnd === -1 ? source.length : lineEnd;
      continue;
    }
    const marker = source.startsWith('__', index)
      ? '__'
      : source.startsWith('||', index)
        ? '||'
        : char === '*' || char === '_' || char === '~'
          ? char
          : undefined;
    if (marker !== undefined) {
      const top = open[open.length - 1];
      if (top?.marker === marker) {
        open.pop();
        const type = { '*': 'bold', _: 'italic', __: 'underline', '~': 'strikethrough', '||': 'spoiler' }[
          marker
        ]!;
        if (text.length > top.start)
          entities.push({ type, offset: top.start, length: text.length - top.start });
      } else {
        open.push({ marker, start: text.length, sourceIndex: index });
      }
      index += marker.length;
      continue;
    }
    if (MARKDOWN_V2_RESERVED.includes(char)) {
      throw cantParse(`Character '${char}' is reserved and must be escaped with the preceding '\\'`);
    }
    text += char;
    index += 1;
  }
  const unclosed = open.pop();
  if (unclosed) {
    throw cantParse(
      `Can't find end of the entity starting at byte offset ${byteOffset(source, unclosed.sourceIndex)}`,
    );
  }
  return { text, entities: sortEntities(entities) };
}

function findUnescaped(source: string, needle: string, from: number): number {
  for (let index = from; index < source.length; index += 1) {
    if (source[index] === '\\') {
      index += 1;
      continue;
    }
    if (source.startsWith(needle, index)) return index;
  }
  return -1;
}

/** Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting, no escapes beyond '\'. */
function parseMarkdownLegacy(source: string): { text: string; entities: MessageEntity[] } {
  let text = '';
  const entities: MessageEntity[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (char === '\\' && index + 1 < source.length && '_*`['.includes(source[index + 1]!)) {
      text += source[index + 1];
      index += 2;
      continue;
    }
    const fence = source.startsWith('```', index) ? '```' : '*_`'.includes(char) ? char : undefined;
    if (fence !== undefined) {
      const end = source.indexOf(fence, index + fence.length);
      if (end === -1) {
        throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(source, index)}`);
      }
      const body = source.slice(index + fence.length, end);
      const type = { '```': 'pre', '`': 'code', '*': 'bold', _: 'italic' }[fence]!;
      if (body.length > 0) entities.push({ type, offset: text.length, length: body.length });
      text += body;
      index = end + fence.length;
      continue;
    }
    if (char === '[') {
      const match = /^\[([^\]]*)\]\(([^)]*)\)/.exec(source.slice(index));
      if (!match)
        throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(source, index)}`);
      const label = match[1]!;
      if (label.length > 0)
        entities.push({ type: 'text_link', offset: text.length, length: label.length, url: match[2]! });
      text += label;
      index += match[0].length;
      continue;
    }
    text += char;
    index += 1;
  }
  return { text, entities: sortEntities(entities) };
}
