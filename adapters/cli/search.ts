/** `newsbot search <query> [--dir D] [--page N] [--json]`: full-text search of the issues folder. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../src/errors.js';
import { IssueLibrary } from '../../src/library/library.js';
import type { Span } from '../../src/rich-text.js';
import { SearchIndex, type SearchHit } from '../../src/search/index.js';
import { loadAppConfig } from '../env.js';
import { println, type CliCommand } from './io.js';

const USAGE = 'newsbot search <query> [--dir D] [--page N] [--json]';

export const command: CliCommand = {
  summary: 'Search every item of every issue (Chinese and English, ranked, 5 hits a page)',
  usage:
    `${USAGE}\n\n` +
    'D defaults to ISSUES_DIR (from the environment, then .env), else ./issues. All words of the\n' +
    'query must match; Latin words also match as prefixes and, from three letters on, inside longer\n' +
    'words; Chinese and Japanese match any run of two or more characters. Matches are shown\n' +
    '**like this**. With --json, prints {query, total, page, pageCount, hits, suggestions}.\n' +
    'A rejected query exits 1.',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { dir: { type: 'string' }, page: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    const page = values.page === undefined ? 1 : Number(values.page);
    if (!Number.isInteger(page) || page < 1) throw new UsageError(`--page must be a whole number from 1 (got "${values.page}")`);
    const config = loadAppConfig(io);
    const dir = values.dir === undefined ? config.ISSUES_DIR : resolve(io.cwd, values.dir);
    const library = await IssueLibrary.open(dir, { watch: false });
    try {
      const outcome = SearchIndex.fromIssues(library.list()).search(positionals.join(' '), { page });
      if (!outcome.ok) {
        throw new UsageError(outcome.reason === 'too_long' ? `query too long (at most ${outcome.limit} characters)` : `nothing to search for (usage: ${USAGE})`);
      }
      const { query, total, pageCount, pageSize, hits, suggestions } = outcome;
      if (values.json) {
        println(io.stdout, JSON.stringify({ query, total, page: outcome.page, pageCount, hits, suggestions }, null, 2));
        return 0;
      }
      if (total === 0) {
        println(io.stdout, `No hits for "${query}".`);
        if (suggestions.length > 0) println(io.stdout, `Try: ${suggestions.join(', ')}`);
        const latest = library.latest();
        if (latest) println(io.stdout, `Latest issue: ${latest.id} (${latest.date}) ${latest.title}`);
        return 0;
      }
      println(io.stdout, `${total} hit(s) for "${query}", page ${outcome.page} of ${pageCount}.`);
      hits.forEach((hit, i) => {
        println(io.stdout);
        for (const line of describe(hit, (outcome.page - 1) * pageSize + i + 1)) println(io.stdout, line);
      });
      return 0;
    } finally {
      await library.close();
    }
  },
};

function describe(hit: SearchHit, rank: number): string[] {
  const where = [hit.date, `${hit.issueId} #${hit.itemIndex + 1}`, hit.sectionTitle, hit.source].filter(Boolean).join(' · ');
  const lines = [`${rank}. ${hit.title}`, `   ${where}`];
  if (hit.url) lines.push(`   ${hit.url}`);
  const snippet = marked(hit.snippet);
  if (snippet && snippet !== hit.title) lines.push(`   ${snippet}`);
  return lines;
}

/** Snippet text with matches between ** (a terminal has no bold everywhere). */
function marked(spans: readonly Span[]): string {
  return spans.map((s) => (s.highlight ? `**${s.text}**` : s.text)).join('');
}
