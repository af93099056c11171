/**
 * /sections [only <names> | skip <names> | all]: which sections of each issue this chat receives.
 * Anyone may look; only the chat's admins may change it. Scheduled posts, catch-up and /broadcast
 * all read the filter (the outbox applies it); an issue with nothing left is recorded as skipped.
 */
import { foldSection, recentSections, resolveSectionNames } from '../../delivery/filters.js';
import type { Language } from '../../i18n/language.js';
import type { Paragraph } from '../../rich-text.js';
import type { SectionFilter } from '../../store/index.js';
import type { CommandContext, CommandModule } from '../module.js';
import { echo, errorReply, textReply } from '../reply.js';
import type { CommandChoice, Reply } from '../types.js';
import type { DeliveryAccess } from './access.js';
import { isReply, deliveryFor } from './guard.js';
import { listPara, nameList, rboth, readerOption, rpara, rreply } from './readers-text.js';
import { byOf, chatOf } from './text.js';

const VERBS: Record<string, 'only' | 'skip' | 'all'> = { only: 'only', 仅: 'only', 只要: 'only', skip: 'skip', 不要: 'skip', 跳过: 'skip', all: 'all', 全部: 'all' };

/** The chat's current choice, with folded names shown as the known titles they stand for. */
export function currentChoice(filter: Pick<SectionFilter, 'kind' | 'names'> | null, known: readonly string[], language: Language): Paragraph {
  if (!filter) return rpara(language, 'sections.all');
  const shown = filter.names.map((n) => known.find((t) => foldSection(t) === n) ?? n);
  return listPara(language, filter.kind === 'only' ? 'sections.only' : 'sections.skip', 'names', nameList(shown));
}

async function run(ctx: CommandContext, access: DeliveryAccess): Promise<Reply> {
  const service = deliveryFor(ctx, access);
  if (isReply(service)) return service;
  const { language, caller, command } = ctx;
  const chat = chatOf(caller);
  const known = recentSections(ctx.deps.issues.list());
  const [first = '', ...rest] = command.args;
  const verb = VERBS[first.normalize('NFKC').toLowerCase()];
  const readers = service.choices;
  if (command.text === '' || !verb) {
    const body: Paragraph[] = [currentChoice(await readers.sectionFilter(chat.platform, chat.chatId), known, language)];
    body.push(known.length > 0 ? listPara(language, 'sections.known', 'list', nameList(known)) : rpara(language, 'sections.none'));
    body.push(rpara(language, 'sections.usage'));
    const reply = textReply(language, command.text === '' ? 'info' : 'error', body);
    return known.length > 0 && reply.kind === 'text' ? { ...reply, choices: sectionChoices(known) } : reply;
  }
  if (!(await caller.isChatAdmin())) return errorReply(language, 'adminOnly', { command: echo('/sections') });
  const now = Date.now();
  if (verb === 'all') {
    await readers.setSectionFilter(chat.platform, chat.chatId, null, byOf(caller), now);
    return textReply(language, 'info', [rpara(language, 'sections.saved'), currentChoice(null, known, language)]);
  }
  const names = rest.join(' ');
  if (names === '') return rreply(language, 'error', 'sections.usage');
  const resolved = resolveSectionNames(names, known);
  if (!resolved.ok) {
    const key = resolved.problem === 'ambiguous' ? 'sections.ambiguous' : 'sections.unknown';
    return textReply(language, 'error', [listPara(language, key, 'list', nameList(resolved.candidates), { name: echo(resolved.name) })]);
  }
  const filter = { kind: verb, names: resolved.titles.map(foldSection) };
  await readers.setSectionFilter(chat.platform, chat.chatId, filter, byOf(caller), now);
  return textReply(language, 'info', [rpara(language, 'sections.saved'), currentChoice(filter, known, language)]);
}

/** Buttons for the listing: every section, then one for all of them (the platforms cap what they show). */
function sectionChoices(known: readonly string[]): CommandChoice[] {
  return [
    ...known.flatMap((title) => [
      { label: `✓ ${title}`, command: `sections only ${title}` },
      { label: `✗ ${title}`, command: `sections skip ${title}` },
    ]),
    { label: '✓ all', command: 'sections all' },
  ];
}

export function sectionsCommand(access: DeliveryAccess): CommandModule {
  return {
    info: { name: 'sections', description: rboth('describe.sections'), options: [readerOption('setting', 'sections', false)], adminOnly: false },
    run: (ctx) => run(ctx, access),
  };
}
