/**
 * Handles Discord interactions: slash commands go through the router and come back rendered;
 * autocomplete offers issues; page buttons re-run their page and update the message in place, but
 * only for a custom_id the pressed message itself carries.
 * Nothing here throws: a failure is logged once and the caller gets an ephemeral apology.
 *
 * Discord wants the first answer within 3 s. Commands whose reply is an issue digest (several
 * messages) and admin commands (store and delivery work) are deferred at once; the others are
 * deferred only when their reply is not ready after `deferAfterMs`.
 */
import {
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import type { CommandInfo, LibraryPort } from '../../src/commands/module.js';
import type { PageCodec } from '../../src/commands/pager.js';
import { errorReply } from '../../src/commands/reply.js';
import type { CommandRouter } from '../../src/commands/router.js';
import type { Caller } from '../../src/commands/types.js';
import type { Language } from '../../src/i18n/language.js';
import { reportError, type Logger } from '../../src/log.js';
import { issueChoices, isIssueOption } from './autocomplete.js';
import { callerFromInteraction, type ChannelHint } from './caller.js';
import { isSectionsOption, sectionChoices } from './section-choices.js';
import { toPlatformError } from './errors.js';
import { answerButton, answerCommand, answerEphemerally, deferOnce, planReply, type Pace } from './replies.js';
import { commandFromOptions } from './slash-commands.js';
import type { RateLimiter } from '../../src/delivery/rate-limiter.js';

/** Commands whose replies are issue digests: always deferred (header, then embeds in follow-ups). */
const DIGEST_COMMANDS: ReadonlySet<string> = new Set(['latest', 'issue']);
/** Other commands are deferred when their reply takes longer than this (Discord allows 3 s). */
const DEFAULT_DEFER_AFTER_MS = 1_500;
/** With this many interactions being answered at once, every command is deferred on arrival. */
const BUSY_INTERACTIONS = 8;

export interface InteractionHandlerDeps {
  router: CommandRouter;
  pages: PageCodec;
  issues: LibraryPort;
  logger: Logger;
  defaultLanguage: Language;
  /** See DEFAULT_DEFER_AFTER_MS; 0 defers every command at once. */
  deferAfterMs?: number;
  /** The platform's rate limiter, shared with the outbox: every webhook request of an answer waits for a slot. */
  limiter?: RateLimiter;
}

export interface InteractionHandler {
  /** Handles one interaction (`channel`: its raw channel object, when it came over HTTP); never rejects. */
  handle(interaction: Interaction, channel?: ChannelHint): Promise<void>;
}

/** Runs `work`; calls `defer` first if `work` is not done within `afterMs` (or at once when `afterMs` ≤ 0). */
async function deferredIfSlow<T>(work: Promise<T>, afterMs: number, defer: () => Promise<unknown>): Promise<T> {
  if (afterMs <= 0) {
    await defer();
    return work;
  }
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), afterMs)));
  const first = await Promise.race([work, slow]);
  clearTimeout(timer);
  if (first !== 'slow') return first as T;
  await defer();
  return work;
}

function optionValues(interaction: ChatInputCommandInteraction): Record<string, string | number | null> {
  const values: Record<string, string | number | null> = {};
  for (const option of interaction.options.data) {
    if (typeof option.value === 'string' || typeof option.value === 'number') values[option.name] = option.value;
  }
  return values;
}

/** A component as JSON: rows and containers nest `components`, sections hold an `accessory`. */
interface ComponentJson {
  custom_id?: string;
  components?: readonly ComponentJson[];
  accessory?: ComponentJson;
}

/** True when the message's own components include one whose custom_id is exactly `customId`. */
export function carriesComponent(components: ReadonlyArray<{ toJSON(): unknown }>, customId: string): boolean {
  const holds = (c: ComponentJson | undefined): boolean =>
    c !== undefined && (c.custom_id === customId || (c.components ?? []).some(holds) || holds(c.accessory));
  return components.some((c) => holds(c.toJSON() as ComponentJson));
}

const fromDiscord = (err: unknown) => err instanceof DiscordAPIError || err instanceof HTTPError || err instanceof RateLimitError;

/** Creates the handler for `Events.InteractionCreate`. */
export function createInteractionHandler(deps: InteractionHandlerDeps): InteractionHandler {
  const { router, pages, logger } = deps;
  const deferAfterMs = deps.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const languageOf = (caller: Caller) => caller.language ?? deps.defaultLanguage;
  const infoOf = (name: string): CommandInfo | undefined => router.commands().find((c) => c.name === name);
  /** An answer's webhook requests wait as interactive work; each interaction is its own "chat" (its own webhook). */
  const paceFor = (interaction: Interaction): Pace => {
    const limiter = deps.limiter;
    const chat = { platform: 'discord' as const, chatId: `interaction:${interaction.id}`, threadId: null };
    return async () => void (await limiter?.acquire(chat, undefined, 'interactive'));
  };

  async function onCommand(interaction: ChatInputCommandInteraction, caller: Caller): Promise<void> {
    const info = infoOf(interaction.commandName);
    // A command registered by an older version: the router answers "unknown command".
    const command = info ? commandFromOptions(info, optionValues(interaction)) : { name: interaction.commandName, args: [], text: '' };
    // Under a burst (many interactions in flight) every command is acknowledged first: its answer may
    // wait for CPU or for the rate limit, and Discord drops an interaction not acknowledged within 3 s.
    const atOnce = DIGEST_COMMANDS.has(interaction.commandName) || info?.adminOnly === true || inFlight >= BUSY_INTERACTIONS;
    if (atOnce) await deferOnce(interaction);
    const reply = atOnce ? await router.handle(command, caller) : await deferredIfSlow(router.handle(command, caller), deferAfterMs, () => deferOnce(interaction));
    await answerCommand(interaction, planReply(reply, pages), paceFor(interaction));
  }

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const info = infoOf(interaction.commandName);
    const option = info?.options.find((o) => o.name === focused.name);
    const typed = String(focused.value);
    const offered =
      info && option && isIssueOption(info, option)
        ? issueChoices(deps.issues, typed)
        : info && option && isSectionsOption(info, option)
          ? sectionChoices(deps.issues, typed)
          : [];
    await interaction.respond(offered);
  }

  async function onButton(interaction: ButtonInteraction, caller: Caller): Promise<void> {
    const data = interaction.customId;
    if (!carriesComponent(interaction.message.components, data)) {
      // Forged (any custom_id can be sent with any message), or a press racing the update that replaced it: change nothing.
      await answerButton(interaction, planReply(errorReply(languageOf(caller), 'page.notOnMessage'), pages));
      return;
    }
    const reply = pages.owns(data) ? await deferredIfSlow(router.openPage(data, caller), deferAfterMs, () => interaction.deferUpdate()) : null;
    // Stale (after a restart or the TTL), forged, or not a page button at all: say so, politely, to the presser only.
    await answerButton(interaction, planReply(reply ?? errorReply(languageOf(caller), 'page.expired'), pages), paceFor(interaction));
  }

  async function apologize(interaction: Interaction, caller: Caller | null): Promise<void> {
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    const language = caller ? languageOf(caller) : deps.defaultLanguage;
    try {
      // A public "thinking…" placeholder that will never be filled would linger: remove it first.
      if (interaction.isChatInputCommand() && interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => undefined);
      await answerEphemerally(interaction, planReply(errorReply(language, 'apology'), pages), paceFor(interaction));
    } catch (err) {
      reportError(logger, fromDiscord(err) ? toPlatformError(err) : err, { platform: 'discord', method: 'apologize' });
    }
  }

  let inFlight = 0;
  return {
    async handle(interaction, channel) {
      let caller: Caller | null = null;
      inFlight++;
      try {
        caller = callerFromInteraction(interaction, channel);
        if (interaction.isChatInputCommand()) await onCommand(interaction, caller);
        else if (interaction.isAutocomplete()) await onAutocomplete(interaction);
        else if (interaction.isButton()) await onButton(interaction, caller);
      } catch (err) {
        const context = { platform: 'discord' as const, method: 'interaction', chatId: caller?.chatId, interaction: interaction.type };
        reportError(logger, fromDiscord(err) ? toPlatformError(err) : err, context);
        await apologize(interaction, caller);
      } finally {
        inFlight--;
      }
    },
  };
}
