/**
 * Which issues the library serves, from every file it holds: files with a valid id and at least one
 * item; when two files share an id, the newer file (later modification time, then later path) wins
 * and a problem names both.
 */
import { basename } from 'node:path';
import type { LoadedIssueFile } from '../issue/parse.js';
import type { Issue, Problem } from '../issue/model.js';
import { compareIssues } from '../issue/order.js';

/** One file the library holds, with what its change check compares. */
export interface FileEntry {
  issue: Issue;
  mtimeMs: number;
  size: number;
}

export function entryOf(loaded: LoadedIssueFile): FileEntry {
  return { issue: loaded.issue, mtimeMs: loaded.mtimeMs, size: loaded.size };
}

/** The served issues by id, oldest first, by file name, and the duplicate-id problems. */
export interface Served {
  byId: Map<string, Issue>;
  sorted: Issue[];
  byName: Map<string, Issue>;
  duplicates: Problem[];
}

const ISSUE_FILE = /\.(?:md|markdown)$/i;

export function serve(entries: Iterable<FileEntry>): Served {
  const groups = new Map<string, FileEntry[]>();
  for (const entry of entries) {
    if (!entry.issue.id || entry.issue.sections.length === 0) continue;
    const group = groups.get(entry.issue.id);
    if (group) group.push(entry);
    else groups.set(entry.issue.id, [entry]);
  }
  const byId = new Map<string, Issue>();
  const duplicates: Problem[] = [];
  for (const [id, group] of groups) {
    group.sort((a, b) => a.mtimeMs - b.mtimeMs || a.issue.file.localeCompare(b.issue.file));
    const winner = group[group.length - 1] as FileEntry;
    byId.set(id, winner.issue);
    for (const loser of group.slice(0, -1)) {
      duplicates.push({
        file: loser.issue.file,
        message: `duplicate issue id ${id}: ${loser.issue.file} and ${winner.issue.file}; serving ${winner.issue.file} (newer)`,
      });
    }
  }
  const sorted = [...byId.values()].sort(compareIssues);
  const byName = new Map<string, Issue>();
  for (const issue of sorted) {
    const name = basename(issue.file);
    for (const key of [issue.file, name, name.replace(ISSUE_FILE, '')]) byName.set(key, issue);
  }
  return { byId, sorted, byName, duplicates };
}
