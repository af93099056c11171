/** /start and /help: what the bot does, its commands, and (when delivery provides it) this chat's subscription. */
import type { Language } from '../i18n/language.js';
import type { Paragraph, RichText } from '../rich-text.js';
import type { CommandContext, CommandInfo, CommandModule } from './module.js';
import { inEveryLanguage, line, message, textReply } from './reply.js';
import type { Reply } from './types.js';

/** "/issue <日期> [条目号] — 按日期查看一期" */
function usageLine(info: CommandInfo, language: Language): string {
  const args = info.options.map((o) => (o.required ? ` <${o.placeholder[language]}>` : ` [${o.placeholder[language]}]`)).join('');
  return `/${info.name}${args} — ${info.description[language]}`;
}

/** A title, then one paragraph per command (paragraphs are the only line breaks replies have). */
function listing(title: string, infos: CommandInfo[], language: Language): Paragraph[] {
  return [[{ text: title, bold: true }], ...infos.map((info) => [{ text: usageLine(info, language) }])];
}

async function helpReply(ctx: CommandContext): Promise<Reply> {
  const { language, caller, deps } = ctx;
  const all = ctx.commands();
  const body: RichText = [line(language, 'help.intro')];
  const chat = await deps.chats?.describeChat?.(caller, language);
  if (chat && chat.length > 0) body.push(...chat);
  body.push(...listing(message(language, 'help.commands'), all.filter((c) => !c.adminOnly), language));
  const admin = all.filter((c) => c.adminOnly);
  if (admin.length > 0) body.push(...listing(message(language, 'help.adminCommands'), admin, language));
  body.push(line(language, 'help.forms'));
  return textReply(language, 'info', body);
}

export const startCommand: CommandModule = {
  info: { name: 'start', description: inEveryLanguage('describe.start'), options: [], adminOnly: false },
  run: helpReply,
};

export const helpCommand: CommandModule = {
  info: { name: 'help', description: inEveryLanguage('describe.help'), options: [], adminOnly: false },
  aliases: ['commands'],
  run: helpReply,
};
