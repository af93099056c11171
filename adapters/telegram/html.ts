/**
 * Telegram HTML as styled text runs. Renderers build runs; `toHtml` turns them into markup
 * with every tag properly nested, every text escaped, and counts what Telegram counts:
 * visible UTF-16 units after entity parsing, and formatting entities (one per opened tag).
 * Because runs carry their whole tag stack, any run list can be cut anywhere and each
 * piece still serializes with its tags closed and reopened.
 */

/** One formatting tag. Compared by identity: two separate links never merge into one. */
export type Mark = { readonly tag: 'b' | 'i' | 'code' } | { readonly tag: 'a'; readonly href: string };

/** Text with the tags around it, outermost first. */
export interface Run {
  readonly text: string;
  readonly marks: readonly Mark[];
}

/** Inline content: plain strings or runs. */
export type Inline = string | readonly Run[];

function runsOf(parts: readonly Inline[]): Run[] {
  return parts.flatMap((p) => (typeof p === 'string' ? (p ? [{ text: p, marks: [] }] : []) : p));
}

function wrap(mark: Mark, parts: readonly Inline[]): Run[] {
  return runsOf(parts).map((r) => ({ text: r.text, marks: [mark, ...r.marks] }));
}

/** Plain runs. */
export const text = (...parts: Inline[]): Run[] => runsOf(parts);
export const bold = (...parts: Inline[]): Run[] => wrap({ tag: 'b' }, parts);
export const italic = (...parts: Inline[]): Run[] => wrap({ tag: 'i' }, parts);
export const code = (...parts: Inline[]): Run[] => wrap({ tag: 'code' }, parts);
/** A link; `href` must already be an http(s) URL (the digest builders guarantee it). */
export const link = (href: string, ...parts: Inline[]): Run[] => wrap({ tag: 'a', href }, parts);

/** Runs joined with a plain separator, skipping empty parts. */
export function join(parts: readonly Run[][], separator: string): Run[] {
  const kept = parts.filter((p) => p.some((r) => r.text.length > 0));
  return kept.flatMap((p, i) => (i === 0 ? p : [...text(separator), ...p]));
}

/** Escapes text for Telegram HTML (`&`, `<`, `>`; and `"` for attributes). */
export function escapeHtml(value: string, attribute = false): string {
  const escaped = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attribute ? escaped.replace(/"/g, '&quot;') : escaped;
}

function openTag(mark: Mark): string {
  return mark.tag === 'a' ? `<a href="${escapeHtml(mark.href, true)}">` : `<${mark.tag}>`;
}

/** Markup plus what Telegram will count. */
export interface Html {
  html: string;
  /** Visible UTF-16 units after entity parsing. */
  length: number;
  /** Formatting entities (opened tags). */
  entities: number;
}

/** Serializes runs; adjacent runs sharing marks share their tags. Empty runs are dropped. */
export function toHtml(runs: readonly Run[]): Html {
  const stack: Mark[] = [];
  let html = '';
  let length = 0;
  let entities = 0;
  for (const run of runs) {
    if (run.text.length === 0) continue;
    let common = 0;
    while (common < stack.length && common < run.marks.length && stack[common] === run.marks[common]) common++;
    while (stack.length > common) html += `</${(stack.pop() as Mark).tag}>`;
    for (const mark of run.marks.slice(common)) {
      html += openTag(mark);
      stack.push(mark);
      entities++;
    }
    html += escapeHtml(run.text);
    length += run.text.length;
  }
  while (stack.length > 0) html += `</${(stack.pop() as Mark).tag}>`;
  return { html, length, entities };
}

/** Visible length and entity count without building the markup. */
export function measure(runs: readonly Run[]): { length: number; entities: number } {
  let previous: readonly Mark[] = [];
  let length = 0;
  let entities = 0;
  for (const run of runs) {
    if (run.text.length === 0) continue;
    let common = 0;
    while (common < previous.length && common < run.marks.length && previous[common] === run.marks[common]) common++;
    entities += run.marks.length - common;
    length += run.text.length;
    previous = run.marks;
  }
  return { length, entities };
}
