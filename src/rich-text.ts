/**
 * Platform-neutral formatted text. The core builds replies from spans; each adapter's renderer
 * escapes and formats them (Telegram HTML, Discord Markdown, plain text in the shell).
 */

/** A run of text with at most a few neutral styles. */
export interface Span {
  text: string;
  bold?: boolean;
  code?: boolean;
  /** Makes the span a link. */
  url?: string;
  /** A search match inside a snippet; renderers show it bold. */
  highlight?: boolean;
}

/** One paragraph: spans rendered on one line (or wrapped). */
export type Paragraph = Span[];

/** Paragraphs separated by blank lines. */
export type RichText = Paragraph[];

/** A paragraph of one plain span. */
export function plain(text: string): Paragraph {
  return [{ text }];
}

/** The visible text of spans, without styles. */
export function spansToPlain(spans: readonly Span[]): string {
  return spans.map((s) => s.text).join('');
}
