import { describe, expect, it } from 'vitest';
import { TelegramApiError } from './api-error';
import { parseFormattedText } from './formatting';

const descriptionOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof TelegramApiError) return error.description;
    throw error;
  }
  return undefined;
};

describe('parse_mode HTML', () => {
  it('strips tags into entities with UTF-16 offsets and decodes entities', () => {
    expect(parseFormattedText('😀 <b>Xin <i>chào</i></b> &lt;3 &amp; &#272;&#x1EA1;', 'HTML')).toEqual({
      text: '😀 Xin chào <3 & Đạ',
      entities: [
        { type: 'bold', offset: 3, length: 8 },
        { type: 'italic', offset: 7, length: 4 },
      ],
    });
  });

  it('supports links, code blocks with a language and spoilers', () => {
    const { text, entities } = parseFormattedText(
      '<a href="https://example.org/?a=1&amp;b=2">xem</a> <pre><code class="language-ts">x</code></pre> <span class="tg-spoiler">bí mật</span>',
      'HTML',
    );
    expect(text).toBe('xem x bí mật');
    expect(entities).toEqual([
      { type: 'text_link', offset: 0, length: 3, url: 'https://example.org/?a=1&b=2' },
      { type: 'pre', offset: 4, length: 1, language: 'ts' },
      { type: 'spoiler', offset: 6, length: 6 },
    ]);
  });

  it("answers Telegram's errors for an unescaped '<', unknown tags and unbalanced tags", () => {
    expect(descriptionOf(() => parseFormattedText('giá < 5', 'HTML'))).toMatch(
      /^Bad Request: can't parse entities:/,
    );
    expect(descriptionOf(() => parseFormattedText('<script>x</script>', 'HTML'))).toBe(
      'Bad Request: can\'t parse entities: Unsupported start tag "script" at byte offset 0',
    );
    expect(descriptionOf(() => parseFormattedText('đ<b>x</i>', 'HTML'))).toBe(
      'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 6, expected "</b>", found "</i>"',
    );
    expect(descriptionOf(() => parseFormattedText('<b>x', 'HTML'))).toBe(
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    );
  });

  it('keeps an & that starts no entity', () => {
    expect(parseFormattedText('A & B', 'HTML').text).toBe('A & B');
  });
});

describe('parse_mode MarkdownV2', () => {
  it('parses bold, italic, underline, code, links and escapes', () => {
    expect(
      parseFormattedText('*đậm* _nghiêng_ __gạch__ `a\\`b` [xem](https://x.org/a\\)b) 1\\.5', 'MarkdownV2'),
    ).toEqual({
      text: 'đậm nghiêng gạch a`b xem 1.5',
      entities: [
        { type: 'bold', offset: 0, length: 3 },
        { type: 'italic', offset: 4, length: 7 },
        { type: 'underline', offset: 12, length: 4 },
        { type: 'code', offset: 17, length: 3 },
        { type: 'text_link', offset: 21, length: 3, url: 'https://x.org/a)b' },
      ],
    });
  });

  it('rejects an unescaped reserved character and an unclosed entity', () => {
    expect(descriptionOf(() => parseFormattedText('Cảm ơn bạn.', 'MarkdownV2'))).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    expect(descriptionOf(() => parseFormattedText('*đậm', 'MarkdownV2'))).toBe(
      "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 0",
    );
  });
});

describe('parse_mode Markdown (legacy)', () => {
  it('parses the simple markers and rejects an unclosed one', () => {
    expect(parseFormattedText('*a* _b_ `c` [d](https://e.org)', 'Markdown')).toEqual({
      text: 'a b c d',
      entities: [
        { type: 'bold', offset: 0, length: 1 },
        { type: 'italic', offset: 2, length: 1 },
        { type: 'code', offset: 4, length: 1 },
        { type: 'text_link', offset: 6, length: 1, url: 'https://e.org' },
      ],
    });
    expect(descriptionOf(() => parseFormattedText('snake_case', 'Markdown'))).toMatch(
      /Can't find end of the entity/,
    );
  });
});

it('passes plain text through and rejects an unknown parse_mode', () => {
  expect(parseFormattedText('<b>x</b>', undefined)).toEqual({ text: '<b>x</b>', entities: [] });
  expect(descriptionOf(() => parseFormattedText('x', 'BBCode'))).toBe('Bad Request: unsupported parse_mode');
});
