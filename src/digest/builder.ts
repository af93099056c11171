/**
 * The one digest builder: an issue in a mode, with its web page from the ISSUE_WEB_URL template.
 * Made once in the core (or once by a CLI command) and passed to the commands and the outbox.
 */
import type { Issue } from '../issue/model.js';
import { buildDigest, type Digest, type DigestMode } from './digest.js';
import { issueWebUrl } from './web-url.js';

/** Turns an issue into the neutral digest a port renders. */
export type DigestBuilder = (issue: Issue, mode: DigestMode) => Digest;

/** `buildDigest`, with the issue's page from an ISSUE_WEB_URL template (`{id}`); no page without one. */
export function digestBuilder(webUrlTemplate?: string): DigestBuilder {
  return (issue, mode) => buildDigest(issue, mode, { webUrl: issueWebUrl(webUrlTemplate, issue.id) ?? null });
}
