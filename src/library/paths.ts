/**
 * Which paths under the issues folder are issue files newsbot serves. One rule set, used by the
 * start-up listing, the watcher and rescans alike, so a file is served after a change exactly when
 * it would be served after a restart:
 *
 * - Markdown files (`.md`, `.markdown`), not hidden, not a README;
 * - in the folder or in sub-folders up to `MAX_DEPTH` deep, never inside a hidden folder (`.git`,
 *   `.obsidian`) or `node_modules`;
 * - whose real path (symbolic links resolved) is inside the issues folder and obeys the same rules.
 *   Links to folders are not followed; a link to a file outside the folder is refused with a
 *   problem, so the operator sees why it is not served.
 */
import { readdirSync, type Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import type { Issue } from '../issue/model.js';

/** Folders deeper than this under the issues folder are not read. */
export const MAX_DEPTH = 3;

const ISSUE_FILE = /\.(?:md|markdown)$/i;

/** True for a file name the library reads: Markdown, not hidden, not a README. */
export function isIssueFileName(name: string): boolean {
  return ISSUE_FILE.test(name) && !name.startsWith('.') && !/^readme\./i.test(name);
}

/** True for a folder the library never enters. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** True for a folder (relative path, "/" separators) whose files the library reads. */
export function isServedFolder(rel: string): boolean {
  const parts = rel.split('/');
  return parts.length <= MAX_DEPTH && parts.every((folder) => folder !== '' && folder !== '..' && !isSkippedFolder(folder));
}

/**
 * What a path relative to the issues folder ("/" separators) can be: an issue file the library
 * serves ('issue'), something inside the served tree that may be a folder ('other'), or outside
 * the rules altogether ('ignored': hidden or skipped folders, too deep, `..`).
 */
export function classifyPath(rel: string): 'issue' | 'other' | 'ignored' {
  const parts = rel.split('/');
  const name = parts.pop() as string;
  if (name === '' || parts.some((folder) => folder === '' || folder === '..' || isSkippedFolder(folder))) return 'ignored';
  if (isIssueFileName(name)) return parts.length <= MAX_DEPTH ? 'issue' : 'ignored';
  return parts.length < MAX_DEPTH && !isSkippedFolder(name) && name !== '..' ? 'other' : 'ignored';
}

/** Where a path stands: a file to read, nothing there, or refused with the reason (a problem). */
export type PathCheck = { kind: 'file' } | { kind: 'missing' } | { kind: 'refused'; reason: string };

/**
 * Checks one path (relative, "/" separators) against the rules, resolving symbolic links anywhere
 * along it. `realRoot` is the issues folder's own real path (`realpath(dir)`), when the caller has it.
 */
export async function checkIssuePath(dir: string, rel: string, realRoot?: string): Promise<PathCheck> {
  if (classifyPath(rel) !== 'issue') return { kind: 'refused', reason: 'not an issue file path' };
  const root = realRoot ?? (await realpath(dir).catch(() => null));
  if (root === null) return { kind: 'missing' };
  let real: string;
  try {
    real = await realpath(join(dir, rel));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOENT of the path itself is a deletion; of a link's target, a dangling link.
    const dangling = code === 'ENOENT' && (await isLink(join(dir, rel)));
    if (code === 'ENOENT' && !dangling) return { kind: 'missing' };
    return { kind: 'refused', reason: 'a symbolic link whose target cannot be read; not served' };
  }
  const inside = relative(root, real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return { kind: 'refused', reason: 'a symbolic link to a file outside the issues folder; not served (copy the file into the folder instead)' };
  }
  if (classifyPath(inside.split(sep).join('/')) !== 'issue') {
    return { kind: 'refused', reason: 'a symbolic link to a file the library does not serve (hidden, skipped or too deep); not served' };
  }
  const info = await stat(real).catch(() => null);
  if (!info) return { kind: 'missing' };
  if (!info.isFile()) return { kind: 'refused', reason: 'not a regular file' };
  return { kind: 'file' };
}

async function isLink(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => null))?.isSymbolicLink() ?? false;
}

/** The served files under `dir` (sorted, "/" separators), and the refused ones with the reason. */
export async function listFolder(dir: string): Promise<{ files: string[]; refused: Map<string, string> }> {
  const files: string[] = [];
  const refused = new Map<string, string>();
  const realRoot = await realpath(dir).catch(() => null);
  const links: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries: Dirent[] = await readdir(join(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (isServedFolder(path)) await walk(path);
      } else if (isIssueFileName(entry.name)) {
        // A walk that follows no folder links finds only paths inside the folder; a file link may point anywhere.
        if (entry.isSymbolicLink()) links.push(path);
        else files.push(path);
      }
    }
  };
  await walk('');
  for (const path of links) {
    const check = realRoot === null ? ({ kind: 'missing' } as const) : await checkIssuePath(dir, path, realRoot);
    if (check.kind === 'file') files.push(path);
    else if (check.kind === 'refused') refused.set(path, check.reason);
  }
  return { files: files.sort(), refused };
}

/** The folders whose files the library reads: '' (the issues folder itself) and its served sub-folders, not through links. */
export function listServedFolders(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    out.push(rel);
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory() && isServedFolder(path)) walk(path);
    }
  };
  walk('');
  return out;
}

/** Issue files under `dir`, as sorted paths relative to it with "/" separators. */
export async function listIssueFiles(dir: string): Promise<string[]> {
  return (await listFolder(dir)).files;
}

/** The library's entry for a refused path: no issue, one problem saying why. */
export function refusedIssue(rel: string, reason: string): Issue {
  return { id: '', date: '', title: basename(rel), intro: '', sections: [], file: rel, problems: [{ file: rel, message: reason }] };
}
