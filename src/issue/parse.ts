/**
 * Markdown issue file → `Issue`. gray-matter reads optional YAML front matter (JavaScript front
 * matter is refused); unified + remark-parse + remark-gfm give the mdast tree the structure is
 * read from (`structure.ts`). Parsing never throws: whatever is wrong becomes a `Problem`, and an
 * unreadable file (binary, over the size limit, invalid UTF-8) is an Issue with no sections and a problem.
 */
import { readFile, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { Findings } from './findings.js';
import { readFrontMatter } from './front-matter.js';
import { titleFromDaySections, titleFromFileName, unreadableIssue } from './identity.js';
import { settleKey } from './issue-key.js';

export { unreadableIssue } from './identity.js';
import type { Issue } from './model.js';
import { detach, plainText } from './plain-text.js';
import { DEFAULT_LIMITS, withinLimits, type IssueLimits } from './limits.js';
import { contentHash, decodeIssueBytes, tooLargeReason } from './decode.js';
import { readStructure } from './structure.js';
import { blankMachinery, resolveReferences } from './machinery.js';

export { MAX_ISSUE_BYTES } from './decode.js';

/** One frozen processor for every parse: building it per call would cost more than small issues do. */
const markdown = unified().use(remarkParse).use(remarkGfm).freeze();

/** Parses the Markdown (GFM) body of an issue into mdast. */
export function parseMarkdown(text: string): Root {
  return markdown.parse(text);
}

/**
 * Parses one issue. `file` names it in `issue.file` and in problems (a path relative to the
 * issues folder, or as given on the command line); its 8-digit date is the issue id unless
 * front matter sets one. Never throws.
 */
export function parseIssue(source: string | Uint8Array, file: string, limits: IssueLimits = DEFAULT_LIMITS): Issue {
  const decoded = decodeIssueBytes(source, limits.maxBytes);
  if (!decoded.ok) return unreadableIssue(file, decoded.reason);
  try {
    return withinLimits(parseText(decoded.text, file), limits);
  } catch (err) {
    // A bug in this parser must not take the library down: report it like any bad file.
    return unreadableIssue(file, `parser error: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Reads and parses the file at `path`; `root` is the issues folder `issue.file` is relative to
 * (without it, `path` is kept as given). Never rejects: a missing or unreadable file gives an
 * Issue with no sections and a problem saying why.
 */
export async function parseIssueFile(path: string, root?: string): Promise<Issue> {
  return (await loadIssueFile(path, root)).issue;
}

/** What `parseIssueFile` reads, plus the file's modification time and size (for the library). */
export interface LoadedIssueFile {
  issue: Issue;
  /** 0 when the file could not be read. */
  mtimeMs: number;
  size: number;
  /** sha1 (base64) of the bytes parsed; absent when the file was not read (the parse cache keeps only read files). */
  hash?: string;
}

/** `parseIssueFile` with the file's stat kept; never rejects. */
export async function loadIssueFile(path: string, root?: string, limits: IssueLimits = DEFAULT_LIMITS): Promise<LoadedIssueFile> {
  const file = root === undefined ? path : relative(root, path).split('\\').join('/');
  try {
    const info = await stat(path);
    const meta = { mtimeMs: info.mtimeMs, size: info.size };
    if (!info.isFile()) return { issue: unreadableIssue(file, 'not a regular file'), ...meta };
    if (info.size > limits.maxBytes) return { issue: unreadableIssue(file, tooLargeReason(info.size, limits.maxBytes)), ...meta };
    const bytes = await readFile(path);
    return { issue: parseIssue(bytes, file, limits), ...meta, hash: contentHash(bytes) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : `cannot read file: ${err instanceof Error ? err.message : String(err)}`;
    return { issue: unreadableIssue(file, reason), mtimeMs: 0, size: 0 };
  }
}

function parseText(text: string, file: string): Issue {
  const fm = readFrontMatter(text);
  const findings = new Findings(file, fm.lineOffset);
  for (const p of fm.problems) findings.add(p.line, p.message);

  const body = blankMachinery(fm.body);
  const tree = parseMarkdown(body);
  // Walking the tree for definitions costs a full pass: only when the text has one.
  if (/^ {0,3}\[[^\]\n]+\]:/m.test(body)) resolveReferences(tree);
  const structure = readStructure(tree, findings);

  const key = settleKey(fm.data, file, [fm.data.title, structure.title].filter(Boolean).join('\n') || null, findings);
  if (structure.sections.length === 0) {
    const headings = tree.children.filter((b) => b.type === 'heading').length;
    // Headings and no entries: an issue's template, committed before it was filled in. Never "the latest issue".
    findings.add(undefined, headings >= 3 ? `no items found: an empty template (${headings} headings, no entries); not served` : 'no items found');
  }

  const issue: Issue = {
    id: key.id ?? '',
    date: key.date ?? '',
    // Strings sliced from the document would keep the whole text alive in a long-lived library.
    title: detach(fm.data.title ?? structure.title ?? titleFromDaySections(structure.sections.map((s) => s.title)) ?? titleFromFileName(file)),
    intro: detach(fm.data.summary ?? structure.intro),
    sections: structure.sections.map((s) => ({ title: detach(s.title), items: s.items })),
    file,
    problems: findings.problems.map((p) => ({ ...p, message: detach(p.message) })),
  };
  if (key.number !== null) issue.number = key.number;
  if (fm.data.tags && fm.data.tags.length > 0) issue.tags = fm.data.tags.map(detach);
  return issue;
}
