/**
 * Optional front matter (id, number, title, date, summary, tags) via gray-matter, made safe:
 * YAML between `---` lines, TOML between `+++` lines (Hugo; read by smol-toml as a gray-matter
 * engine), and the `Key: Value` header block of Pelican and MultiMarkdown (`header-block.ts`).
 * JavaScript front matter is refused, never evaluated, and a broken block is a finding, not a crash.
 */
import matter from 'gray-matter';
import { parse as parseToml } from 'smol-toml';
import { readHeaderBlock } from './header-block.js';

/** The front matter fields newsbot understands; anything else is ignored. */
export interface FrontMatter {
  id?: string;
  /** `number`, `issue` or `no`, as written (validated later). */
  number?: string;
  title?: string;
  /** "YYYY-MM-DD" as written (validated later). */
  date?: string;
  summary?: string;
  tags?: string[];
}

export interface FrontMatterResult {
  data: FrontMatter;
  /** The Markdown after the front matter. */
  body: string;
  /** Lines before `body` starts, to turn body line numbers into file line numbers. */
  lineOffset: number;
  problems: Array<{ line?: number; message: string }>;
}

function refuseJavaScript(): never {
  throw new RefusedFrontMatter();
}

class RefusedFrontMatter extends Error {}

/**
 * A fresh options object on every call: gray-matter caches results per input when called without
 * options, and its default `javascript` engine runs `eval`. Both spellings must be overridden.
 */
function safeOptions(toml = false) {
  const engines = { js: refuseJavaScript, javascript: refuseJavaScript, toml: (text: string) => parseToml(text) as object };
  return toml ? { engines, language: 'toml', delimiters: '+++' } : { engines };
}

/** Splits and reads front matter; never throws. */
export function readFrontMatter(text: string): FrontMatterResult {
  if (/^\+\+\+[ \t]*\r?\n/.test(text)) return readDelimited(text, '+++');
  const header = readHeaderBlock(text);
  if (header) return { data: pickFields(header.fields, []), body: header.body, lineOffset: header.lineOffset, problems: [] };
  // Only a first line of `---` (optionally naming a language) with a closing line opens front
  // matter; otherwise a leading thematic break would swallow the whole document.
  if (!/^---[ \t]*[A-Za-z]*[ \t]*\r?(\n|$)/.test(text)) return { data: {}, body: text, lineOffset: 0, problems: [] };
  if (skipDelimitedBlock(text).lineOffset === 0) {
    // "---" then "key: value" and no closing line: front matter left open. Its "body" is the
    // whole file, which is not an issue (and was a 40,000-line paragraph for remark): say so.
    if (/^---[^\n]*\n[ \t]*[A-Za-z_][\w-]*[ \t]*:/.test(text)) {
      return { data: {}, body: '', lineOffset: 0, problems: [{ line: 1, message: 'front matter is never closed (no "---" line after it); file ignored' }] };
    }
    return { data: {}, body: text, lineOffset: 0, problems: [] };
  }
  return readDelimited(text, '---');
}

function readDelimited(text: string, delimiter: '---' | '+++'): FrontMatterResult {
  try {
    const file = matter(text, safeOptions(delimiter === '+++'));
    const body = file.content;
    const lineOffset = countNewlines(text, text.length - body.length);
    const problems: FrontMatterResult['problems'] = [];
    const raw: unknown = file.data;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({ line: 1, message: 'front matter is not a YAML mapping; ignored' });
      return { data: {}, body, lineOffset, problems };
    }
    return { data: pickFields(raw as Record<string, unknown>, problems), body, lineOffset, problems };
  } catch (err) {
    const { body, lineOffset } = skipDelimitedBlock(text, delimiter);
    if (err instanceof RefusedFrontMatter) {
      return { data: {}, body, lineOffset, problems: [{ line: 1, message: 'JavaScript front matter refused (not evaluated); use YAML' }] };
    }
    const mark = (err as { mark?: { line?: number } }).mark;
    const reason = err instanceof Error ? (err as { reason?: string }).reason ?? err.message.split('\n')[0] : String(err);
    return {
      data: {},
      body,
      lineOffset,
      problems: [{ line: typeof mark?.line === 'number' ? mark.line + 1 : 1, message: `broken front matter: ${reason}; ignored` }],
    };
  }
}

function pickFields(raw: Record<string, unknown>, problems: FrontMatterResult['problems']): FrontMatter {
  const out: FrontMatter = {};
  const str = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
    if (typeof v === 'string' || typeof v === 'number') return String(v).trim();
    problems.push({ line: 1, message: `front matter "${key}" should be text; ignored` });
    return undefined;
  };
  const id = str('id');
  if (id) out.id = id;
  const number = str('number') ?? str('issue') ?? str('no');
  if (number) out.number = number;
  const title = str('title');
  if (title) out.title = title;
  const date = str('date');
  if (date) out.date = date;
  const summary = str('summary');
  if (summary) out.summary = summary;
  const tags = raw.tags;
  if (Array.isArray(tags)) out.tags = tags.filter((t) => typeof t === 'string' || typeof t === 'number').map((t) => String(t).trim()).filter(Boolean);
  else if (typeof tags === 'string') out.tags = tags.split(/[,，]/).map((t) => t.trim()).filter(Boolean);
  else if (tags !== undefined && tags !== null) problems.push({ line: 1, message: 'front matter "tags" should be a list; ignored' });
  return out;
}

/**
 * When gray-matter gives up, the body still deserves parsing: it starts after the closing
 * delimiter line. Without one, the whole file was meant as front matter and there is no body.
 */
function skipDelimitedBlock(text: string, delimiter: '---' | '+++' = '---'): { body: string; lineOffset: number } {
  let pos = text.indexOf('\n');
  let line = 1;
  while (pos !== -1) {
    const next = text.indexOf('\n', pos + 1);
    const lineText = text.slice(pos + 1, next === -1 ? text.length : next).trimEnd();
    line++;
    if (lineText === delimiter || (delimiter === '---' && lineText === '...')) {
      const start = next === -1 ? text.length : next + 1;
      return { body: text.slice(start), lineOffset: line };
    }
    pos = next;
  }
  return { body: '', lineOffset: 0 };
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
