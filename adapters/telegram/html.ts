/**
 * Telegram HTML as styled text runs. Renderers build runs; `toHtml` turns them into markup
 * with every tag properly nested, every text escaped, and counts what Telegram counts:
 * visible UTF-16 units after entity parsing, and formatting entities (one per opened tag).
 * Serializing, measuring and cutting at the entity budget share one walk (`walkTags`).
 * Because runs carry their whole tag stack, any run list can be cut anywhere and each
 * piece still serializes with its tags closed and reopened.
 */

/** One formatting tag. Compared by identity: two separate links never merge into one. */
type Mark = { readonly tag: 'b' | 'i' | 'code' } | { readonly tag: 'a'; readonly href: string };

/** Text with the tags around it, outermost first. */
export interface Run {
  readonly text: string;
  readonly marks: readonly Mark[];
}

/** Inline content: plain strings or runs. */
type Inline = string | readonly Run[];

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
function escapeHtml(value: string, attribute = false): string {
  const escaped = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attribute ? escaped.replace(/"/g, '&quot;') : escaped;
}

function openTag(mark: Mark): string {
  return mark.tag === 'a' ? `<a href="${escapeHtml(mark.href, true)}">` : `<${mark.tag}>`;
}

/** Closes `open` tags, innermost first, down to the first `keep` of them. */
function closeTags(open: readonly Mark[], keep: number): string {
  let html = '';
  for (let i = open.length - 1; i >= keep; i--) html += `</${(open[i] as Mark).tag}>`;
  return html;
}

/** One non-empty run as Telegram parses it. */
interface TagStep {
  run: Run;
  /** The marks of the run before (the tags open when this run starts). */
  previous: readonly Mark[];
  /** How many of those stay open: the common prefix of both runs' marks. The rest close; the run's other marks open a tag (an entity) each. */
  kept: number;
  /** UTF-16 offset of the run in the visible text. */
  offset: number;
  /** Entities opened up to and including this run. */
  entities: number;
}

/**
 * The one walk over runs that serializing, measuring and cutting share, so they can never
 * disagree about what Telegram counts. Empty runs are skipped (they produce no tags).
 */
export function* walkTags(runs: readonly Run[]): Generator<TagStep, void> {
  let previous: readonly Mark[] = [];
  let offset = 0;
  let entities = 0;
  for (const run of runs) {
    if (run.text.length === 0) continue;
    let kept = 0;
    while (kept < previous.length && kept < run.marks.length && previous[kept] === run.marks[kept]) kept++;
    entities += run.marks.length - kept;
    yield { run, previous, kept, offset, entities };
    offset += run.text.length;
    previous = run.marks;
  }
}

/** Markup plus what Telegram will count. */
interface Html {
  html: string;
  /** Visible UTF-16 units after entity parsing. */
  length: number;
  /** Formatting entities (opened tags). */
  entities: number;
}

/** Visible length and entity count after the last step. */
function totals(last: TagStep | null): { length: number; entities: number } {
  return last ? { length: last.offset + last.run.text.length, entities: last.entities } : { length: 0, entities: 0 };
}

/** Serializes runs; adjacent runs sharing marks share their tags. Empty runs are dropped. */
export function toHtml(runs: readonly Run[]): Html {
  let html = '';
  let last: TagStep | null = null;
  for (const step of walkTags(runs)) {
    html += closeTags(step.previous, step.kept);
    for (const mark of step.run.marks.slice(step.kept)) html += openTag(mark);
    html += escapeHtml(step.run.text);
    last = step;
  }
  return { html: html + closeTags(last?.run.marks ?? [], 0), ...totals(last) };
}

/** Visible length and entity count without building the markup. */
export function measure(runs: readonly Run[]): { length: number; entities: number } {
  let last: TagStep | null = null;
  for (const step of walkTags(runs)) last = step;
  return totals(last);
}
