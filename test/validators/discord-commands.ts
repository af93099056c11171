/**
 * Checks application command definitions (the body of PUT /applications/{app}/commands) against
 * Discord's documented limits: name 1-32 lowercase, description 1-100, ≤ 25 options, ≤ 25 choices,
 * ≤ 100 commands, localization keys from Discord's locale list. Written from the docs, independent
 * of the command builders. Returns `path: message` strings; empty when fine.
 */

/** Discord's supported locales (API docs, "Locales"). */
export const DISCORD_LOCALES = new Set([
  'id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no', 'pl', 'pt-BR',
  'ro', 'fi', 'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN', 'ja', 'zh-TW', 'ko',
]);

// Discord's documented pattern for CHAT_INPUT names (lowercase where the script has case).
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkName(path: string, name: unknown, out: string[]): void {
  if (typeof name !== 'string' || !NAME.test(name) || name !== name.toLowerCase()) {
    out.push(`${path}: Command and option names must be 1-32 lowercase letters, digits, - or _ (got ${JSON.stringify(name)})`);
  }
}

function checkDescription(path: string, value: unknown, out: string[]): void {
  if (typeof value !== 'string' || value.length < 1 || value.length > 100) out.push(`${path}: Must be 1-100 characters`);
}

function checkLocalizations(path: string, value: unknown, check: (p: string, v: unknown) => void, out: string[]): void {
  if (value === undefined || value === null) return;
  if (!isObj(value)) return void out.push(`${path}: Must be an object`);
  for (const [locale, text] of Object.entries(value)) {
    if (!DISCORD_LOCALES.has(locale)) out.push(`${path}.${locale}: Not a Discord locale`);
    check(`${path}.${locale}`, text);
  }
}

function checkNamed(path: string, item: Obj, out: string[], withDescription: boolean): void {
  checkName(`${path}.name`, item.name, out);
  checkLocalizations(`${path}.name_localizations`, item.name_localizations, (p, v) => checkName(p, v, out), out);
  if (withDescription) {
    checkDescription(`${path}.description`, item.description, out);
    checkLocalizations(`${path}.description_localizations`, item.description_localizations, (p, v) => checkDescription(p, v, out), out);
  }
}

function checkOptions(path: string, options: unknown, out: string[], depth: number): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) return void out.push(`${path}: Must be an array`);
  if (options.length > 25) out.push(`${path}: Must be 25 or fewer in length (got ${options.length})`);
  let seenOptional = false;
  const names = new Set<string>();
  options.forEach((option: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isObj(option)) return void out.push(`${at}: Must be an option object`);
    checkNamed(at, option, out, true);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) out.push(`${at}.name: Option names must be unique`);
      names.add(option.name);
    }
    const type = option.type;
    if (typeof type !== 'number' || type < 1 || type > 11) return void out.push(`${at}.type: Unknown option type ${String(type)}`);
    if (type === 1 || type === 2) {
      if (depth >= 2) out.push(`${at}: Subcommands nest at most two levels`);
      return checkOptions(`${at}.options`, option.options, out, depth + 1);
    }
    if (option.required === true && seenOptional) out.push(`${at}.required: Required options must come before optional ones`);
    if (option.required !== true) seenOptional = true;
    if (option.autocomplete === true && Array.isArray(option.choices) && option.choices.length > 0) out.push(`${at}: autocomplete cannot be used with choices`);
    if (Array.isArray(option.choices) && option.choices.length > 25) out.push(`${at}.choices: Must be 25 or fewer in length`);
  });
}

/** Checks the array sent to PUT /applications/{app}/commands or …/guilds/{guild}/commands. */
export function checkApplicationCommands(commands: unknown): string[] {
  const out: string[] = [];
  if (!Array.isArray(commands)) return ['Must be an array of commands'];
  if (commands.length > 100) out.push(`Must be 100 or fewer commands (got ${commands.length})`);
  const names = new Set<string>();
  commands.forEach((command: unknown, i) => {
    const at = `[${i}]`;
    if (!isObj(command)) return void out.push(`${at}: Must be a command object`);
    const type = command.type ?? 1;
    checkNamed(at, command, out, type === 1);
    const key = `${String(type)}:${String(command.name)}`;
    if (names.has(key)) out.push(`${at}.name: Command names must be unique per type`);
    names.add(key);
    const perms = command.default_member_permissions;
    if (perms !== undefined && perms !== null && (typeof perms !== 'string' || !/^\d+$/.test(perms))) {
      out.push(`${at}.default_member_permissions: Must be a permission bitset as a decimal string`);
    }
    if (type === 1) checkOptions(`${at}.options`, command.options, out, 0);
  });
  return out;
}
