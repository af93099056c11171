/**
 * The `Key: Value` header block that Pelican and MultiMarkdown sites put at the top of a post:
 *
 *     Title: 科技爱好者周刊（第 300 期）
 *     Date: 2024-05-17
 *     Number: 300
 *
 * It counts only at the very top of the file, only when every line is a known key (or an indented
 * continuation of the line before), and it ends at the first blank line. So an ordinary first
 * paragraph such as "Note: this week…" is never eaten: "note" is not a header key.
 */

/** Keys Pelican and MultiMarkdown define that newsbot recognises as a header line. */
const KNOWN_KEYS = new Set([
  'title', 'date', 'number', 'issue', 'no', 'id', 'category', 'categories', 'tags', 'keywords', 'author', 'authors',
  'summary', 'slug', 'modified', 'status', 'lang', 'language', 'subtitle', 'url', 'save_as', 'template', 'series',
  'base header level', 'css', 'format', 'copyright',
]);

export interface HeaderBlock {
  /** Lower-cased keys; a repeated key keeps its first value. */
  fields: Record<string, string>;
  body: string;
  lineOffset: number;
}

const LINE = /^([A-Za-z][A-Za-z _-]{0,30}?)[ \t]*:[ \t]*(.*)$/;

/** The header block at the top of `text`, or null when the file does not start with one. */
export function readHeaderBlock(text: string): HeaderBlock | null {
  const fields: Record<string, string> = {};
  let lastKey: string | null = null;
  let pos = 0;
  let lines = 0;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    const line = text.slice(pos, end === -1 ? text.length : end).replace(/\r$/, '');
    if (line.trim() === '') break;
    const m = LINE.exec(line);
    const key = m ? (m[1] as string).toLowerCase().trim() : null;
    if (key !== null && KNOWN_KEYS.has(key)) {
      if (!(key in fields)) fields[key] = (m?.[2] ?? '').trim();
      lastKey = key;
    } else if (lastKey !== null && /^[ \t]+\S/.test(line)) {
      fields[lastKey] = `${fields[lastKey] ?? ''} ${line.trim()}`.trim();
    } else {
      return null;
    }
    lines++;
    if (end === -1) {
      pos = text.length;
      break;
    }
    pos = end + 1;
  }
  // A single "Title: …" line could be prose; a block needs a title or a date and two lines, or a number.
  if (lines === 0 || !('title' in fields || 'date' in fields || 'number' in fields)) return null;
  if (lines < 2 && !('number' in fields)) return null;
  return { fields, body: text.slice(pos), lineOffset: lines };
}
