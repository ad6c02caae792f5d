/**
 * Just enough HTML reading for the web form's tests, with no browser: a tokenizer and a
 * tree of the pages TinBao renders (tags, attributes, text), their forms and fields.
 */
export interface HtmlNode {
  tag: string;
  attrs: Record<string, string>;
  children: (HtmlNode | string)[];
  parent?: HtmlNode;
}

const VOID = new Set(['meta', 'link', 'input', 'br', 'img', 'hr', 'source', 'area', 'base', 'col', 'wbr']);
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  apos: "'",
  nbsp: '\u00a0',
};

export const decodeEntities = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#') && name !== '#39') return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });

export function parseHtml(source: string): HtmlNode {
  const root: HtmlNode = { tag: '#root', attrs: {}, children: [] };
  let current = root;
  const token =
    /<!--[\s\S]*?-->|<!doctype[^>]*>|<\/([a-z0-9]+)\s*>|<([a-z0-9]+)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>|([^<]+)/gi;
  for (const match of source.matchAll(token)) {
    const [, closing, opening, attributes, text] = match;
    if (text !== undefined) {
      current.children.push(decodeEntities(text));
    } else if (opening) {
      const tag = opening.toLowerCase();
      const attrs: Record<string, string> = {};
      for (const attribute of (attributes ?? '').matchAll(
        /([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g,
      )) {
        attrs[attribute[1]!.toLowerCase()] = decodeEntities(
          attribute[2] ?? attribute[3] ?? attribute[4] ?? '',
        );
      }
      const node: HtmlNode = { tag, attrs, children: [], parent: current };
      current.children.push(node);
      if (!VOID.has(tag)) current = node;
    } else if (closing) {
      const tag = closing.toLowerCase();
      let open: HtmlNode | undefined = current;
      while (open && open.tag !== tag) open = open.parent;
      if (open?.parent) current = open.parent;
    }
  }
  return root;
}

export function findAll(node: HtmlNode, test: (node: HtmlNode) => boolean): HtmlNode[] {
  const found: HtmlNode[] = [];
  const walk = (at: HtmlNode) => {
    for (const child of at.children) {
      if (typeof child === 'string') continue;
      if (test(child)) found.push(child);
      walk(child);
    }
  };
  walk(node);
  return found;
}

/** The text of a node, block elements on lines of their own; list items start with "• ". */
export function textOf(node: HtmlNode): string {
  const lines: string[] = [];
  let line = '';
  const blocks = new Set(['p', 'div', 'li', 'ul', 'ol', 'span', 'h1', 'h2', 'legend', 'label', 'br']);
  const walk = (at: HtmlNode) => {
    for (const child of at.children) {
      if (typeof child === 'string') {
        line += child;
        continue;
      }
      const block = blocks.has(child.tag) && !(child.tag === 'span' && child.attrs.class !== 'line');
      if (block && line.trim()) {
        lines.push(line.trim());
        line = '';
      }
      if (child.tag === 'li') line += '• ';
      walk(child);
      if (block && line.trim()) {
        lines.push(line.trim());
        line = '';
      }
    }
  };
  walk(node);
  if (line.trim()) lines.push(line.trim());
  return lines.join('\n');
}

export interface FormControl {
  tag: string;
  type: string;
  name: string;
  value: string;
  /** A radio's label, a button's text. */
  label: string;
}

export interface PageForm {
  action: string;
  method: string;
  enctype: string;
  controls: FormControl[];
}

export function formsOf(root: HtmlNode): PageForm[] {
  return findAll(root, (node) => node.tag === 'form').map((form) => ({
    action: form.attrs.action ?? '',
    method: (form.attrs.method ?? 'get').toLowerCase(),
    enctype: form.attrs.enctype ?? 'application/x-www-form-urlencoded',
    controls: findAll(form, (node) => ['input', 'button', 'textarea', 'select'].includes(node.tag)).map(
      (control) => {
        const label =
          control.tag === 'button'
            ? textOf(control)
            : control.parent?.tag === 'label'
              ? textOf(control.parent)
              : '';
        return {
          tag: control.tag,
          type: (control.attrs.type ?? (control.tag === 'button' ? 'submit' : 'text')).toLowerCase(),
          name: control.attrs.name ?? '',
          value: control.tag === 'textarea' ? textOf(control) : (control.attrs.value ?? ''),
          label,
        };
      },
    ),
  }));
}
