/**
 * A persistent cache of parsed issues in one SQLite file (better-sqlite3, WAL), so a restart only
 * re-parses the files that changed. An entry is keyed by the issues folder and the file's path
 * in it, and is trusted while the file's size and modification time are the ones it was parsed
 * at (stat only, as git's index does: unchanged files are not even read).
 *
 * Two guards keep a cached issue from going stale:
 *  - the parser version, a hash of this folder's own source files and of the markdown packages'
 *    versions, computed once at start: any change to the parser's code drops every entry, with
 *    nobody having to bump a number;
 *  - "racy" entries (the file was modified within RACY_MS of being read, so a second write in the
 *    same timestamp tick could hide behind an equal mtime) are checked against the content hash
 *    (read and hashed, not parsed) before they are trusted.
 *
 * The cache never breaks loading: an unreadable, corrupt or foreign file is reported (a StoreError,
 * through `reportError`), deleted and rebuilt; if even that fails, the cache turns itself off and everything is
 * parsed as if there were none.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, type ErrorContext } from '../errors.js';
import { reportError, type Logger } from '../log.js';
import type { Issue } from './model.js';

/** Table layout version (PRAGMA user_version); a different one is dropped and recreated. */
const CACHE_FORMAT = 1;
/** A file modified this close to when it was read is verified by content before being trusted. */
const RACY_MS = 2_000;
/** Packages whose code decides what a parse produces; their installed versions are part of the parser version. */
const PARSER_PACKAGES = [
  'gray-matter', 'js-yaml', 'unified', 'remark-parse', 'remark-gfm', 'micromark', 'mdast-util-from-markdown',
  'micromark-extension-gfm', 'mdast-util-gfm', 'mdast-util-to-string', 'unist-util-visit',
];

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS parsed_issues (
    root     TEXT NOT NULL,  -- absolute issues folder
    path     TEXT NOT NULL,  -- relative to root, "/" separators
    size     INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    read_at  REAL NOT NULL,  -- wall-clock ms when the file was about to be read
    hash     TEXT NOT NULL,  -- sha1 (base64) of the bytes parsed
    parser   TEXT NOT NULL,  -- parser version
    issue    TEXT NOT NULL,  -- the Issue as JSON
    PRIMARY KEY (root, path)
  )`;

/** What the cache needs to know about a file as it is now. */
export interface FileStat {
  size: number;
  mtimeMs: number;
}

/** A parsed file to remember. */
export interface ParsedFile extends FileStat {
  issue: Issue;
  /** sha1 (base64) of the bytes that were parsed. */
  hash: string;
  /** Wall-clock ms just before the file was stat'ed and read. */
  readAt: number;
}

/** A cached issue whose file's size and mtime still match. */
export interface CachedIssue {
  issue: Issue;
  /** Set when the entry is racy: trust it only if the file's content still has this hash. */
  verifyHash: string | null;
}

/** Counters since the cache was opened (the library's log line and the tests read them). */
export interface ParseCacheStats {
  /** Entries returned by `read` (size and mtime matched; racy ones still to be verified). */
  matched: number;
  /** Rows that could not be decoded (treated as misses). */
  badRows: number;
  written: number;
  pruned: number;
  /** Times the file was deleted and recreated because it was unreadable or corrupt. */
  rebuilt: number;
}

export interface ParseCacheOptions {
  logger?: Logger;
  /** The parser version entries must carry (default: `parserVersion()`); tests pass their own. */
  version?: string;
}

export class ParseCache {
  private db: Database.Database | null = null;
  readonly stats: ParseCacheStats = { matched: 0, badRows: 0, written: 0, pruned: 0, rebuilt: 0 };

  private constructor(
    /** The SQLite file. */
    readonly path: string,
    readonly version: string,
    private readonly logger?: Logger,
  ) {}

  /** Opens (creating, or rebuilding when unusable) the cache file. Never throws: at worst the cache is off. */
  static open(path: string, options: ParseCacheOptions = {}): ParseCache {
    const cache = new ParseCache(resolve(path), options.version ?? parserVersion(), options.logger);
    try {
      cache.db = openFile(cache.path);
    } catch (err) {
      // Another process holding the file for longer than the busy timeout is no reason to delete it.
      if (isBusy(err)) cache.report('issue cache busy; running without it', err);
      else cache.rebuild(err, 'open');
    }
    return cache;
  }

  /** False once the cache has given up (the file could not be opened even after a rebuild). */
  get enabled(): boolean {
    return this.db !== null;
  }

  /**
   * The cached issues of folder `root` whose file is listed in `current` with the same size and
   * mtime, parsed row by row. Never throws: a corrupt file gives no hits and is rebuilt.
   */
  read(root: string, current: ReadonlyMap<string, FileStat>): Map<string, CachedIssue> {
    const out = new Map<string, CachedIssue>();
    if (!this.db) return out;
    let bad = 0;
    try {
      const rows = this.db
        .prepare('SELECT path, size, mtime_ms, read_at, hash, issue FROM parsed_issues WHERE root = ? AND parser = ?')
        .raw()
        .iterate(resolve(root), this.version) as IterableIterator<[string, number, number, number, string, string]>;
      for (const [rel, size, mtimeMs, readAt, hash, json] of rows) {
        const now = current.get(rel);
        if (!now || now.size !== size || now.mtimeMs !== mtimeMs) continue;
        const issue = decodeIssue(json, rel);
        if (!issue) {
          bad++;
          continue;
        }
        out.set(rel, { issue, verifyHash: mtimeMs >= readAt - RACY_MS ? hash : null });
      }
    } catch (err) {
      if (isBusy(err)) this.report('issue cache busy; parsing instead', err);
      else this.rebuild(err, 'read');
      return new Map();
    }
    this.stats.matched += out.size;
    this.stats.badRows += bad;
    if (bad > 0) this.report('issue cache rows unreadable; those files are parsed again', undefined, { rows: bad });
    return out;
  }

  /**
   * In one transaction: stores `parsed` for folder `root`, drops this folder's entries for files
   * not in `keep` (deleted), entries of folders that no longer exist, and entries of other parser
   * versions. Failures are logged.
   */
  update(root: string, parsed: ReadonlyMap<string, ParsedFile>, keep?: ReadonlySet<string>): void {
    const db = this.db;
    if (!db) return;
    const base = resolve(root);
    try {
      const upsert = db.prepare(
        `INSERT INTO parsed_issues (root, path, size, mtime_ms, read_at, hash, parser, issue) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (root, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, read_at = excluded.read_at,
           hash = excluded.hash, parser = excluded.parser, issue = excluded.issue`,
      );
      db.transaction(() => {
        for (const [rel, f] of parsed) upsert.run(base, rel, f.size, f.mtimeMs, f.readAt, f.hash, this.version, JSON.stringify(f.issue));
        let pruned = 0;
        // A whole-folder update (after a load) also sweeps; a single file's update stays cheap.
        if (keep) {
          pruned += db.prepare('DELETE FROM parsed_issues WHERE parser <> ?').run(this.version).changes;
          const remove = db.prepare('DELETE FROM parsed_issues WHERE root = ? AND path = ?');
          const stored = db.prepare('SELECT path FROM parsed_issues WHERE root = ?').pluck().all(base) as string[];
          for (const rel of stored) if (!keep.has(rel)) pruned += remove.run(base, rel).changes;
          const roots = db.prepare('SELECT DISTINCT root FROM parsed_issues').pluck().all() as string[];
          const dropRoot = db.prepare('DELETE FROM parsed_issues WHERE root = ?');
          for (const other of roots) if (!existsSync(other)) pruned += dropRoot.run(other).changes;
        }
        this.stats.written += parsed.size;
        this.stats.pruned += pruned;
      }).immediate();
    } catch (err) {
      this.report('issue cache write failed; the next start parses those files again', err);
    }
  }

  /** Forgets one file of folder `root` (it was deleted). */
  remove(root: string, rel: string): void {
    try {
      this.stats.pruned += this.db?.prepare('DELETE FROM parsed_issues WHERE root = ? AND path = ?').run(resolve(root), rel).changes ?? 0;
    } catch (err) {
      this.report('issue cache write failed', err);
    }
  }

  close(): void {
    try {
      this.db?.close();
    } catch {
      // Closing can only fail on a connection that is already unusable.
    }
    this.db = null;
  }

  /** Reports a cache failure: a StoreError naming the file, never fatal (the library parses instead). */
  private report(message: string, cause: unknown, context: ErrorContext = {}): void {
    reportError(this.logger, new StoreError(message, { path: this.path, ...context }, cause === undefined ? {} : { cause }));
  }

  /** Deletes the file and starts over; gives up (cache off) when even a fresh file fails. */
  private rebuild(err: unknown, op: string): void {
    this.close();
    this.stats.rebuilt++;
    this.report('issue cache unusable; rebuilding it (issues are parsed meanwhile)', err, { method: op });
    try {
      for (const suffix of ['', '-wal', '-shm']) rmSync(this.path + suffix, { force: true });
      this.db = openFile(this.path);
    } catch (again) {
      this.db = null;
      this.report('issue cache disabled: cannot create it', again);
    }
  }
}

function openFile(path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // The first fill writes the whole archive in one transaction: don't keep a WAL that large.
    db.pragma('journal_size_limit = 8388608');
    const format = () => db.pragma('user_version', { simple: true }) as number;
    if (format() !== CACHE_FORMAT) {
      db.transaction(() => {
        if (format() === CACHE_FORMAT) return; // another process just made it
        db.exec('DROP TABLE IF EXISTS parsed_issues');
        db.exec(SCHEMA);
        db.pragma(`user_version = ${CACHE_FORMAT}`);
      }).immediate();
    }
    // A file that is a database but not a readable cache fails here rather than mid-load.
    db.prepare('SELECT root, path, size, mtime_ms, read_at, hash, parser, issue FROM parsed_issues LIMIT 0').all();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function isBusy(err: unknown): boolean {
  return err instanceof Database.SqliteError && /^SQLITE_(?:BUSY|LOCKED)/.test(err.code);
}

/** The Issue in a row, or null when the row is not one (hand-edited, truncated). */
function decodeIssue(json: string, rel: string): Issue | null {
  try {
    const issue = JSON.parse(json) as Issue;
    return issue && typeof issue.id === 'string' && Array.isArray(issue.sections) && issue.file === rel ? issue : null;
  } catch {
    return null;
  }
}

let ownVersion: string | undefined;

/** The parser version of this process: `computeParserVersion()` of this folder, computed once. */
export function parserVersion(): string {
  return (ownVersion ??= computeParserVersion(import.meta.dirname));
}

/**
 * A hash of every source file in `sourceDir` (name and content), the installed versions of the
 * packages the parser uses, and the Unicode version of the runtime (regex classes depend on it).
 */
export function computeParserVersion(sourceDir: string): string {
  const hash = createHash('sha256');
  const sources = readdirSync(sourceDir).filter((name) => /\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts')).sort();
  for (const name of sources) hash.update(`${name}\0`).update(readFileSync(join(sourceDir, name))).update('\0');
  for (const pkg of PARSER_PACKAGES) hash.update(`${pkg}@${installedVersion(pkg, sourceDir)}\0`);
  hash.update(`unicode ${process.versions.unicode}`);
  return hash.digest('base64url').slice(0, 22);
}

/** The version in the nearest node_modules/<pkg>/package.json above `from`, or "?". */
function installedVersion(pkg: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', pkg, 'package.json');
    if (existsSync(manifest)) {
      try {
        return String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version ?? '?');
      } catch {
        return '?';
      }
    }
    if (dirname(dir) === dir) return '?';
  }
}
