/**
 * Turns raw file bytes into issue text, or says why it cannot be read as one.
 * Checks happen before any parsing so a binary or huge file never reaches remark.
 */

import { createHash } from 'node:crypto';

/** sha1 (base64) of a file's bytes: what the parse cache compares when a stat cannot be trusted. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64');
}

/** Largest issue file accepted by default, in bytes (512 KB; ISSUE_MAX_BYTES). Real issues are 5-25 KB. */
export const MAX_ISSUE_BYTES = 512 * 1024;

/** How much of the start of a file is scanned for NUL bytes to call it binary. */
const BINARY_SCAN_BYTES = 8192;

export type DecodeResult = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes issue bytes as strict UTF-8 (a BOM is dropped); strings are checked for size and NULs only. */
export function decodeIssueBytes(input: string | Uint8Array, maxBytes = MAX_ISSUE_BYTES): DecodeResult {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input, 'utf8') > maxBytes) return tooLarge(Buffer.byteLength(input, 'utf8'), maxBytes);
    if (input.slice(0, BINARY_SCAN_BYTES).includes('\u0000')) return { ok: false, reason: 'binary file (contains NUL bytes)' };
    return { ok: true, text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input };
  }
  if (input.byteLength > maxBytes) return tooLarge(input.byteLength, maxBytes);
  if (input.subarray(0, BINARY_SCAN_BYTES).includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  try {
    return { ok: true, text: utf8.decode(input) };
  } catch {
    return { ok: false, reason: `invalid UTF-8 at byte ${firstInvalidUtf8(input)}` };
  }
}

/** The problem of a file over the size limit. */
export function tooLargeReason(bytes: number, maxBytes: number): string {
  return `file too large (${bytes} bytes; the limit is ${maxBytes}, ISSUE_MAX_BYTES)`;
}

function tooLarge(bytes: number, maxBytes: number): DecodeResult {
  return { ok: false, reason: tooLargeReason(bytes, maxBytes) };
}

/** Offset of the first byte that breaks UTF-8, for a message a person can act on. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return i;
}
