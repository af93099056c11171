/**
 * An independent reading of Telegram's HTML parse mode, written from the Bot API's "Formatting
 * options" and the way Telegram reports parse errors ("Unsupported start tag "x" at byte offset N").
 * It is deliberately a little STRICTER than Telegram where Telegram is lenient in ways that hide
 * renderer bugs: a bare `&` or `>` in text, an `<a>` without an http(s)/tg: href and a `code`
 * language outside `pre` are errors here, while Telegram keeps the character or drops the entity.
 */

/** The tags Telegram's HTML parse mode accepts. */
export const TELEGRAM_TAGS: ReadonlySet<string> = new Set([
  'a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins',
  'tg-spoiler', 'tg-emoji', 'tg-time', 'span', 'pre', 'code', 'blockquote',
]);

/** Entities that "can't contain each other" (Bot API): everything but the style tags and blockquote. */
const EXCLUSIVE_TAGS: ReadonlySet<string> = new Set(['a', 'code', 'pre', 'tg-emoji', 'tg-time']);
const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const ENTITY_AT = /&(?:(lt|gt|amp|quot)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,7}));/y;
const LONE_SURROGATE = /\p{Surrogate}/u;

/** The outcome of parsing one HTML text, before any length rule is applied. */
export interface ParsedTelegramHtml {
  /** Parse errors, worded like Telegram's (`… at byte offset N`). */
  errors: string[];
  /** The text a reader sees, after tags are removed and entities decoded. */
  plainText: string;
  /** Formatting entities Telegram would create (empty ones are not created; `pre`+`code` is one). */
  entityCount: number;
}

interface OpenTag {
  name: string;
  /** UTF-16 offset in the plain text where the tag's content starts. */
  start: number;
  /** For `pre`: whether a `code` child was opened (it must then be the whole content). */
  hasCodeChild: boolean;
  /** For `pre`: where its `code` child ended (text after it is not allowed). */
  codeEnd: number | null;
  /** For `code`: whether it sits directly inside `pre` (then it merges into the pre entity). */
  inPre: boolean;
}

interface Attribute {
  name: string;
  value: string | null;
}

/** Decodes the entity starting at `html[i]` (`&`), or returns null when none starts there. */
function entityAt(html: string, i: number): { text: string | null; length: number } | null {
  ENTITY_AT.lastIndex = i;
  const m = ENTITY_AT.exec(html);
  if (!m) return null;
  if (m[1]) return { text: NAMED_ENTITIES[m[1]] ?? null, length: m[0].length };
  const code = m[2] !== undefined ? Number.parseInt(m[2], 10) : Number.parseInt(m[3] ?? '', 16);
  const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return { text: valid ? String.fromCodePoint(code) : null, length: m[0].length };
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\f';
}

function validHref(href: string): boolean {
  if (/\s/.test(href)) return false;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'tg:';
  } catch {
    return false;
  }
}

/** Parses Telegram HTML the way the Bot API would, collecting every problem it can find. */
export function parseTelegramHtml(html: string): ParsedTelegramHtml {
  const errors: string[] = [];
  const stack: OpenTag[] = [];
  let plain = '';
  let entityCount = 0;
  const at = (i: number): string => `at byte offset ${Buffer.byteLength(html.slice(0, i), 'utf8')}`;

  if (LONE_SURROGATE.test(html)) errors.push('Text must be encoded in UTF-8: it contains a lone UTF-16 surrogate');

  /** Reads attributes from `i` up to `>`; returns the index of `>` or -1 when the tag never closes. */
  const readAttributes = (tagName: string, begin: number, i: number, out: Attribute[]): number => {
    for (;;) {
      while (isSpace(html[i])) i++;
      if (i >= html.length) return -1;
      if (html[i] === '>') return i;
      const nameStart = i;
      while (i < html.length && !isSpace(html[i]) && html[i] !== '=' && html[i] !== '>') i++;
      const name = html.slice(nameStart, i).toLowerCase();
      while (isSpace(html[i])) i++;
      if (html[i] !== '=') {
        if (name === '') errors.push(`Empty attribute name in the tag "${tagName}" ${at(begin)}`);
        out.push({ name, value: null });
        if (name === '') i++;
        continue;
      }
      i++;
      while (isSpace(html[i])) i++;
      if (i >= html.length) return -1;
      const quote = html[i];
      let value = '';
      if (quote === '"' || quote === "'") {
        i++;
        while (i < html.length && html[i] !== quote) {
          if (html[i] === '&') {
            const entity = entityAt(html, i);
            if (entity?.text != null) {
              value += entity.text;
              i += entity.length;
              continue;
            }
            errors.push(`Unescaped "&" in attribute "${name}" of the tag "${tagName}" ${at(i)}; write &amp;`);
          }
          value += html[i++];
        }
        if (i >= html.length) return -1;
        i++;
      } else {
        while (i < html.length && !isSpace(html[i]) && html[i] !== '>') value += html[i++];
      }
      out.push({ name, value });
    }
  };

  /** Checks a start tag against the whitelist, its attributes and where it sits. */
  const checkStartTag = (name: string, attrs: Attribute[], begin: number): boolean => {
    const where = at(begin);
    if (!TELEGRAM_TAGS.has(name)) {
      errors.push(`Unsupported start tag "${name}" ${where}`);
      return false;
    }
    const attr = (n: string): Attribute | undefined => attrs.find((a) => a.name === n);
    for (const a of attrs) {
      if (a.value === null && !(name === 'blockquote' && a.name === 'expandable')) {
        errors.push(`Expected equal sign in declaration of an attribute of the tag "${name}" ${where}`);
      }
    }
    if (name === 'span' && attr('class')?.value !== 'tg-spoiler') {
      errors.push(`Tag "span" must have class "tg-spoiler" ${where}`);
    }
    if (name === 'a') {
      const href = attr('href')?.value;
      if (href == null || href === '') errors.push(`Tag "a" must have a non-empty href ${where}`);
      else if (!validHref(href)) errors.push(`Link "${href}" is not an http(s) or tg: URL ${where}`);
    }
    if (name === 'tg-emoji' && !/^[0-9]+$/.test(attr('emoji-id')?.value ?? '')) {
      errors.push(`Tag "tg-emoji" must have a numeric emoji-id ${where}`);
    }
    if (name === 'tg-time') {
      if (!/^[0-9]+$/.test(attr('unix')?.value ?? '')) errors.push(`Tag "tg-time" must have a numeric unix ${where}`);
      const format = attr('format')?.value;
      if (format != null && !/^(?:r|w?[dD]?[tT]?)$/.test(format)) errors.push(`Invalid tg-time format "${format}" ${where}`);
    }
    const parent = stack[stack.length - 1];
    const language = name === 'code' ? attr('class')?.value : undefined;
    if (language != null && !/^language-\S+$/.test(language)) {
      errors.push(`Tag "code" class must be "language-<name>", got "${language}" ${where}`);
    }
    if (language != null && parent?.name !== 'pre') {
      errors.push(`Programming language can't be specified for standalone code tags ${where}`);
    }
    if (name === 'blockquote' && stack.some((t) => t.name === 'blockquote')) {
      errors.push(`Blockquotes can't be nested ${where}`);
    }
    if (name === 'code' && parent?.name === 'pre') {
      if (parent.hasCodeChild || plain.length > parent.start) {
        errors.push(`Tag "code" must be the only content of "pre" ${where}`);
      }
      parent.hasCodeChild = true;
      return true;
    }
    const verbatim = stack.find((t) => t.name === 'pre' || t.name === 'code');
    if (verbatim) {
      errors.push(`Tag "${name}" can't be inside "${verbatim.name}": pre and code contain no other entities ${where}`);
    } else if (EXCLUSIVE_TAGS.has(name) || name === 'blockquote') {
      const host = stack.find((t) => EXCLUSIVE_TAGS.has(t.name));
      if (host) errors.push(`Tag "${name}" can't be inside "${host.name}" ${where}`);
    }
    return true;
  };

  let i = 0;
  while (i < html.length) {
    const ch = html[i] as string;
    if (ch === '&') {
      const entity = entityAt(html, i);
      if (entity?.text != null) {
        plain += entity.text;
        i += entity.length;
        continue;
      }
      errors.push(entity ? `Invalid numeric entity ${at(i)}` : `Unescaped "&" ${at(i)}; write &amp;`);
      plain += ch;
      i++;
      continue;
    }
    if (ch === '>') errors.push(`Unescaped ">" ${at(i)}; write &gt;`);
    if (ch !== '<') {
      plain += ch;
      i++;
      continue;
    }

    const begin = i;
    if (html[i + 1] === '/') {
      const gt = html.indexOf('>', i);
      if (gt < 0) {
        errors.push(`Unclosed end tag ${at(begin)}`);
        break;
      }
      const endName = html.slice(i + 2, gt).trim().toLowerCase();
      const open = stack.pop();
      if (!open) {
        errors.push(`Unexpected end tag ${at(begin)}`);
      } else {
        if (endName !== '' && endName !== open.name) {
          errors.push(`Unmatched end tag ${at(begin)}, expected "</${open.name}>", found "</${endName}>"`);
        }
        if (open.name === 'code' && open.inPre) {
          const pre = stack[stack.length - 1];
          if (pre) pre.codeEnd = plain.length;
        }
        if (open.name === 'pre' && open.hasCodeChild && open.codeEnd !== plain.length) {
          errors.push(`Tag "code" must be the only content of "pre" ${at(begin)}`);
        }
        const length = plain.length - open.start;
        if (length > 0 && !(open.name === 'code' && open.inPre)) entityCount++;
      }
      i = gt + 1;
      continue;
    }

    i++;
    while (i < html.length && !isSpace(html[i]) && html[i] !== '>') i++;
    const name = html.slice(begin + 1, i).toLowerCase();
    if (name === '') {
      // Telegram stops here; we keep going with the "<" as text to find further problems.
      errors.push(`Unsupported start tag "" ${at(begin)}; escape a literal "<" as &lt;`);
      plain += '<';
      i = begin + 1;
      continue;
    }
    const attrs: Attribute[] = [];
    const gt = readAttributes(name, begin, i, attrs);
    if (gt < 0) {
      errors.push(`Unclosed start tag "${name}" ${at(begin)}`);
      break;
    }
    i = gt + 1;
    const parent = stack[stack.length - 1];
    if (checkStartTag(name, attrs, begin)) {
      stack.push({ name, start: plain.length, hasCodeChild: false, codeEnd: null, inPre: name === 'code' && parent?.name === 'pre' });
    }
  }
  for (const open of stack.reverse()) errors.push(`Can't find end tag corresponding to start tag "${open.name}"`);
  return { errors, plainText: plain, entityCount };
}
