/**
 * An independent check of Discord message payloads against Discord's documented limits, written
 * from the API docs (not from our renderer) so tests can hold the renderer and the fake API to it.
 *
 * Counting: Discord's API counts Unicode code points (a Discord engineer in discord-api-docs#1315:
 * "Our API uses Python 3 ... the number of codepoints"). We count UTF-16 code units (`.length`),
 * which is never smaller than the code-point count, so we are conservative: anything we accept,
 * Discord accepts. It is also what discord.js's builders and `embedLength()` count.
 *
 * Issues come as `path: message` strings (`embeds[0].fields[2].value: ...`); the structured form
 * (`discordMessageIssues`) lets the fake API build Discord's nested 50035 error body.
 */
import { checkComponents } from './discord-components.js';
import { DISCORD_LIMITS, discordLength, isObj, Issues, type DiscordPayloadIssue } from './discord-limits.js';

export { DISCORD_LIMITS, discordLength, type DiscordPayloadIssue } from './discord-limits.js';

const FLAG_COMPONENTS_V2 = 1 << 15;

/** Whether a payload creates a message or edits one (edits may leave everything out). */
export interface MessageCheckOptions {
  edit?: boolean;
}

const strLen = (v: unknown): number => (typeof v === 'string' ? discordLength(v) : 0);

/**
 * The characters of one embed that count toward the 6,000 total: title, description, field names
 * and values, footer text and author name. Tolerates any input (missing or wrong-typed parts count 0).
 */
export function embedTotalLength(embed: unknown): number {
  if (!isObj(embed)) return 0;
  let total = strLen(embed.title) + strLen(embed.description);
  if (Array.isArray(embed.fields)) {
    for (const field of embed.fields) if (isObj(field)) total += strLen(field.name) + strLen(field.value);
  }
  if (isObj(embed.footer)) total += strLen(embed.footer.text);
  if (isObj(embed.author)) total += strLen(embed.author.name);
  return total;
}

function checkEmbed(embed: unknown, path: string, issues: Issues): void {
  if (!isObj(embed)) return issues.add(path, 'MODEL_TYPE_CONVERT', 'Must be an embed object');
  if (embed.type !== undefined && embed.type !== 'rich') issues.add(`${path}.type`, 'BASE_TYPE_CHOICES', 'Bots may only send rich embeds');
  issues.text(`${path}.title`, embed.title, DISCORD_LIMITS.embedTitle);
  issues.text(`${path}.description`, embed.description, DISCORD_LIMITS.embedDescription);
  issues.url(`${path}.url`, embed.url);
  if (embed.color !== undefined && embed.color !== null) {
    const c = embed.color;
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 0xffffff) issues.add(`${path}.color`, 'NUMBER_TYPE_MAX', 'Must be an integer 0..16777215');
  }
  if (embed.timestamp !== undefined && (typeof embed.timestamp !== 'string' || Number.isNaN(Date.parse(embed.timestamp)))) {
    issues.add(`${path}.timestamp`, 'DATE_TYPE_PARSE', 'Must be an ISO8601 timestamp');
  }
  if (embed.fields !== undefined) {
    if (!Array.isArray(embed.fields)) issues.add(`${path}.fields`, 'LIST_TYPE_CONVERT', 'Must be an array');
    else {
      if (embed.fields.length > DISCORD_LIMITS.embedFields) issues.add(`${path}.fields`, 'BASE_TYPE_MAX_LENGTH', `Must be ${DISCORD_LIMITS.embedFields} or fewer in length (got ${embed.fields.length})`);
      embed.fields.forEach((field: unknown, i) => {
        const at = `${path}.fields[${i}]`;
        if (!isObj(field)) return issues.add(at, 'MODEL_TYPE_CONVERT', 'Must be a field object');
        issues.text(`${at}.name`, field.name, DISCORD_LIMITS.fieldName, { required: true });
        issues.text(`${at}.value`, field.value, DISCORD_LIMITS.fieldValue, { required: true });
        if (field.inline !== undefined && typeof field.inline !== 'boolean') issues.add(`${at}.inline`, 'BASE_TYPE_BAD_BOOLEAN', 'Must be a boolean');
      });
    }
  }
  if (embed.footer !== undefined) {
    if (!isObj(embed.footer)) issues.add(`${path}.footer`, 'MODEL_TYPE_CONVERT', 'Must be an object');
    else {
      issues.text(`${path}.footer.text`, embed.footer.text, DISCORD_LIMITS.footerText, { required: true });
      issues.url(`${path}.footer.icon_url`, embed.footer.icon_url, { attachment: true });
    }
  }
  if (embed.author !== undefined) {
    if (!isObj(embed.author)) issues.add(`${path}.author`, 'MODEL_TYPE_CONVERT', 'Must be an object');
    else {
      issues.text(`${path}.author.name`, embed.author.name, DISCORD_LIMITS.authorName, { required: true });
      issues.url(`${path}.author.url`, embed.author.url);
      issues.url(`${path}.author.icon_url`, embed.author.icon_url, { attachment: true });
    }
  }
  for (const media of ['image', 'thumbnail'] as const) {
    const value = embed[media];
    if (value === undefined) continue;
    if (!isObj(value)) issues.add(`${path}.${media}`, 'MODEL_TYPE_CONVERT', 'Must be an object');
    else issues.url(`${path}.${media}.url`, value.url, { required: true, attachment: true });
  }
  const visible = ['title', 'description', 'fields', 'footer', 'author', 'image', 'thumbnail'].some((k) => embed[k] !== undefined);
  if (!visible) issues.add(path, 'EMBED_EMPTY', 'Embed has nothing to show');
}

/** Our own rule, stricter than Discord: never let a message ping @everyone, @here or roles. */
function checkAllowedMentions(value: unknown, issues: Issues): void {
  const policy = 'newsbot policy (Discord itself would accept this)';
  if (!isObj(value)) return issues.add('allowed_mentions', 'NEWSBOT_POLICY', `Must be present so nobody is pinged by accident: ${policy}`);
  const parse = value.parse;
  if (Array.isArray(parse) && (parse.includes('everyone') || parse.includes('roles'))) {
    issues.add('allowed_mentions.parse', 'NEWSBOT_POLICY', `Must not allow "everyone" or "roles": ${policy}`);
  }
  if (Array.isArray(value.roles) && value.roles.length > 0) issues.add('allowed_mentions.roles', 'NEWSBOT_POLICY', `Must not list roles: ${policy}`);
}

/** Every problem with a message payload (create or edit), structured. */
export function discordMessageIssues(payload: unknown, options: MessageCheckOptions = {}): DiscordPayloadIssue[] {
  const issues = new Issues();
  if (!isObj(payload)) {
    issues.add('', 'MODEL_TYPE_CONVERT', 'The payload must be a JSON object');
    return issues.list;
  }
  issues.text('content', payload.content, DISCORD_LIMITS.content, { allowEmpty: true });
  if (payload.embeds !== undefined) {
    if (!Array.isArray(payload.embeds)) issues.add('embeds', 'LIST_TYPE_CONVERT', 'Must be an array');
    else {
      if (payload.embeds.length > DISCORD_LIMITS.embeds) issues.add('embeds', 'BASE_TYPE_MAX_LENGTH', `Must be ${DISCORD_LIMITS.embeds} or fewer in length (got ${payload.embeds.length})`);
      payload.embeds.forEach((embed: unknown, i) => checkEmbed(embed, `embeds[${i}]`, issues));
      const total = payload.embeds.reduce((sum: number, embed: unknown) => sum + embedTotalLength(embed), 0);
      if (total > DISCORD_LIMITS.embedsTotal) issues.add('embeds', 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${DISCORD_LIMITS.embedsTotal} (got ${total})`);
    }
  }
  if (typeof payload.flags === 'number' && (payload.flags & FLAG_COMPONENTS_V2) !== 0) {
    issues.add('flags', 'NEWSBOT_UNSUPPORTED', 'Components V2 messages are not checked by this validator');
  } else if (payload.components !== undefined) checkComponents(payload.components, issues);
  checkAllowedMentions(payload.allowed_mentions, issues);
  if (!options.edit) {
    const hasContent = typeof payload.content === 'string' && payload.content.length > 0;
    const hasEmbeds = Array.isArray(payload.embeds) && payload.embeds.length > 0;
    const hasComponents = Array.isArray(payload.components) && payload.components.length > 0;
    const hasOther = ['attachments', 'sticker_ids', 'poll', 'files'].some((k) => Array.isArray(payload[k]) ? (payload[k] as unknown[]).length > 0 : isObj(payload[k]));
    if (!hasContent && !hasEmbeds && !hasComponents && !hasOther) issues.add('', 'EMPTY_MESSAGE', 'Cannot send an empty message');
  }
  return issues.list;
}

const asStrings = (issues: DiscordPayloadIssue[]): string[] => issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));

/**
 * Checks a message payload (POST /channels/{id}/messages, a webhook follow-up, an edit with
 * `{ edit: true }`) against Discord's limits and our mention policy. Returns `path: message`
 * strings; empty when the payload is fine.
 */
export function checkDiscordMessage(payload: unknown, options: MessageCheckOptions = {}): string[] {
  return asStrings(discordMessageIssues(payload, options));
}

function checkChoices(data: unknown, issues: Issues): void {
  if (!isObj(data) || !Array.isArray(data.choices)) return issues.add('data.choices', 'BASE_TYPE_REQUIRED', 'Autocomplete answers need data.choices');
  if (data.choices.length > DISCORD_LIMITS.autocompleteChoices) issues.add('data.choices', 'BASE_TYPE_MAX_LENGTH', `Must be ${DISCORD_LIMITS.autocompleteChoices} or fewer in length (got ${data.choices.length})`);
  data.choices.forEach((choice: unknown, i) => {
    const at = `data.choices[${i}]`;
    if (!isObj(choice)) return issues.add(at, 'MODEL_TYPE_CONVERT', 'Must be a choice object');
    issues.text(`${at}.name`, choice.name, DISCORD_LIMITS.choiceName, { required: true });
    if (typeof choice.value === 'string') issues.text(`${at}.value`, choice.value, DISCORD_LIMITS.choiceValue, { allowEmpty: true });
    else if (typeof choice.value !== 'number') issues.add(`${at}.value`, 'BASE_TYPE_REQUIRED', 'A choice needs a string or number value');
  });
}

/** Structured issues of an interaction callback body (POST /interactions/{id}/{token}/callback). */
export function interactionResponseIssues(body: unknown): DiscordPayloadIssue[] {
  if (!isObj(body)) return [{ path: '', code: 'MODEL_TYPE_CONVERT', message: 'The body must be a JSON object' }];
  const issues = new Issues();
  const prefix = (list: DiscordPayloadIssue[]) => list.forEach((i) => issues.add(i.path ? `data.${i.path}` : 'data', i.code, i.message));
  switch (body.type) {
    case 1: // PONG
    case 6: // DEFERRED_UPDATE_MESSAGE
      break;
    case 4: // CHANNEL_MESSAGE_WITH_SOURCE
      prefix(discordMessageIssues(body.data));
      break;
    case 7: // UPDATE_MESSAGE
      prefix(discordMessageIssues(body.data, { edit: true }));
      break;
    case 5: // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: only flags matter
      if (body.data !== undefined && !isObj(body.data)) issues.add('data', 'MODEL_TYPE_CONVERT', 'Must be an object');
      break;
    case 8: // APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
      checkChoices(body.data, issues);
      break;
    case 9: // MODAL
      if (!isObj(body.data)) issues.add('data', 'BASE_TYPE_REQUIRED', 'A modal needs data');
      else {
        issues.text('data.custom_id', body.data.custom_id, DISCORD_LIMITS.customId, { required: true });
        issues.text('data.title', body.data.title, 45, { required: true });
      }
      break;
    default:
      issues.add('type', 'BASE_TYPE_CHOICES', `Unknown interaction callback type ${String(body.type)}`);
  }
  return issues.list;
}

/** Checks an interaction callback body; `path: message` strings, empty when fine. */
export function checkInteractionResponse(body: unknown): string[] {
  return asStrings(interactionResponseIssues(body));
}
