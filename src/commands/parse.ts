/** Turns a chat message's text into a `ParsedCommand`, the way every platform types one. */
import type { ParsedCommand } from './types.js';

// JS `\s` covers Unicode white space: U+3000 (ideographic space), NBSP, U+2000-U+200A, line breaks…
const LEADING_WS = /^\s+/u;
const SPLIT_WS = /\s+/u;
const SLASHES = new Set(['/', '／']);

/**
 * Parses `/name@bot arg1 arg2`. Returns null when the text is not a command (no leading slash,
 * an empty name) or is addressed to another bot (`/latest@otherbot` when `botUsername` is ours).
 * Names are lower-cased; the full-width slash `／` counts as a slash.
 */
export function parseCommandText(text: string, botUsername?: string): ParsedCommand | null {
  const trimmed = text.replace(LEADING_WS, '');
  const first = trimmed.charAt(0);
  if (!SLASHES.has(first)) return null;
  const body = trimmed.slice(1);
  const head = body.split(SPLIT_WS, 1)[0] ?? '';
  const rest = body.slice(head.length).trim();

  const at = head.indexOf('@');
  const name = (at === -1 ? head : head.slice(0, at)).toLowerCase();
  const addressee = at === -1 ? null : head.slice(at + 1);
  if (name === '') return null;
  if (addressee !== null && botUsername !== undefined) {
    const ours = botUsername.replace(/^@/, '').toLowerCase();
    if (addressee.toLowerCase() !== ours) return null;
  }
  const args = rest === '' ? [] : rest.split(SPLIT_WS);
  return { name, args, text: rest };
}
