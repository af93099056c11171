/**
 * What the Discord payload validators share: Discord's documented limits, the issue shape, how
 * lengths are counted (see discord-payload.ts), and the collector the checks add issues to.
 */

/** Discord's limits, in UTF-16 code units where they are lengths. */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedsTotal: 6000,
  actionRows: 5,
  rowComponents: 5,
  customId: 100,
  buttonLabel: 80,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** One problem with a payload. `code` is Discord's error code name where one applies. */
export interface DiscordPayloadIssue {
  /** Where, as `embeds[0].title`; empty for the payload as a whole. */
  path: string;
  code: string;
  message: string;
}


/** Length as these validators count it: UTF-16 code units (why: see discord-payload.ts). */
export function discordLength(text: string): number {
  return text.length;
}

/** A JSON object (not an array). */
export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects issues under a path prefix. */
export class Issues {
  readonly list: DiscordPayloadIssue[] = [];
  add(path: string, code: string, message: string): void {
    this.list.push({ path, code, message });
  }
  /** A string of 1..max units (or 0..max when `allowEmpty`); absent is fine unless `required`. */
  text(path: string, value: unknown, max: number, opts: { required?: boolean; allowEmpty?: boolean } = {}): void {
    if (value === undefined || value === null) {
      if (opts.required) this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
      return;
    }
    if (typeof value !== 'string') return this.add(path, 'STRING_TYPE_CONVERT', 'Must be a string');
    const length = discordLength(value);
    if (length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length (got ${length})`);
    if (length === 0 && !opts.allowEmpty) this.add(path, 'BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length');
  }
  url(path: string, value: unknown, opts: { required?: boolean; attachment?: boolean } = {}): void {
    if (value === undefined || value === null) {
      if (opts.required) this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
      return;
    }
    const schemes = opts.attachment ? /^(https?:\/\/[^\s]+|attachment:\/\/[^\s]+)$/ : /^https?:\/\/[^\s]+$/;
    if (typeof value !== 'string' || !schemes.test(value)) {
      this.add(path, 'URL_TYPE_INVALID_URL', `Not a well formed URL (${opts.attachment ? 'http(s) or attachment://' : 'http(s)'})`);
    }
  }
}
