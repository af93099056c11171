/**
 * Answers interactions with rendered replies: the first message as the interaction's response
 * (a reply, the edit of a deferred reply, or the update of the message whose button was pressed),
 * the rest as follow-ups. Errors and refusals are ephemeral: only the caller sees them.
 */
import {
  DiscordAPIError,
  MessageFlags,
  RESTJSONErrorCodes,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
} from 'discord.js';
import type { PageCodec } from '../../src/commands/pager.js';
import type { Reply } from '../../src/commands/types.js';
import { renderDiscordReply, type DiscordMessage } from './render.js';
import { CUSTOM_ID_CHARS } from './settings.js';

/**
 * Waits for a send slot under the platform's shared rate limiter. Called before every webhook request
 * (edit of the deferred reply, follow-up, delete); the interaction callback itself (reply, defer,
 * update) is exempt from Discord's global limit and never waits, so the 3 s acknowledgement holds.
 */
export type Pace = () => Promise<void>;

const unpaced: Pace = async () => undefined;

/** What to send for one reply. */
export interface ReplyPlan {
  messages: DiscordMessage[];
  /** Only the caller sees it (errors, refusals, expired buttons). */
  ephemeral: boolean;
}

/** Renders a reply with its page buttons (custom_ids within Discord's 100 characters). */
export function planReply(reply: Reply, pages: PageCodec): ReplyPlan {
  const pager = pages.buttonsFor(reply, CUSTOM_ID_CHARS);
  return {
    messages: renderDiscordReply(reply, pager ? { pager } : {}),
    ephemeral: reply.kind === 'text' && reply.tone === 'error',
  };
}

const NO_PINGS = { parse: [] as [], repliedUser: false };

/** Message fields for an edit: fields a message does not have are cleared, not left as they were. */
function editFields(message: DiscordMessage): InteractionEditReplyOptions & InteractionUpdateOptions {
  return { content: message.content ?? '', embeds: message.embeds ?? [], components: message.components ?? [], allowedMentions: NO_PINGS };
}

function createFields(message: DiscordMessage, ephemeral: boolean): InteractionReplyOptions & { flags?: MessageFlags.Ephemeral } {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    ...(message.embeds ? { embeds: message.embeds } : {}),
    ...(message.components ? { components: message.components } : {}),
    allowedMentions: NO_PINGS,
    ...(ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}),
  };
}

async function followUps(interaction: ChatInputCommandInteraction | ButtonInteraction, messages: readonly DiscordMessage[], ephemeral: boolean, pace: Pace): Promise<void> {
  for (const message of messages) {
    await pace();
    await interaction.followUp(createFields(message, ephemeral));
  }
}

/**
 * Answers a slash command. A deferred reply is edited in place; when the answer is ephemeral,
 * the public "thinking…" placeholder is deleted and the answer follows up ephemerally, since a
 * deferred reply cannot change who sees it.
 */
export async function answerCommand(interaction: ChatInputCommandInteraction, plan: ReplyPlan, pace: Pace = unpaced): Promise<void> {
  const [first, ...rest] = plan.messages;
  if (!first) return;
  if (interaction.deferred && !interaction.replied) {
    await pace();
    if (plan.ephemeral && !interaction.ephemeral) {
      await interaction.deleteReply();
      await pace();
      await interaction.followUp(createFields(first, true));
    } else {
      await interaction.editReply(editFields(first));
    }
  } else if (interaction.replied) {
    await pace();
    await interaction.followUp(createFields(first, plan.ephemeral));
  } else {
    await interaction.reply(createFields(first, plan.ephemeral));
  }
  await followUps(interaction, rest, plan.ephemeral, pace);
}

/**
 * Answers a page button: the message the button is on is replaced by the new page (its buttons
 * included); an ephemeral answer (an error) goes to the presser alone and leaves the message as it was.
 */
export async function answerButton(interaction: ButtonInteraction, plan: ReplyPlan, pace: Pace = unpaced): Promise<void> {
  const [first, ...rest] = plan.messages;
  if (!first) return;
  if (plan.ephemeral) {
    if (interaction.deferred || interaction.replied) {
      await pace();
      await interaction.followUp(createFields(first, true));
    } else await interaction.reply(createFields(first, true));
    await followUps(interaction, rest, true, pace);
    return;
  }
  // The pager row is on the last message of a reply; the updated message is the one pressed, so it keeps the row.
  const components = plan.messages.at(-1)?.components ?? [];
  const updated = editFields({ ...first, components });
  if (interaction.deferred && !interaction.replied) {
    await pace();
    await interaction.editReply(updated);
  } else await interaction.update(updated);
  await followUps(interaction, rest.map(({ components: _dropped, ...message }) => message), false, pace);
}

/** Answers with an ephemeral message whatever state the interaction is in (used for failures). */
export async function answerEphemerally(interaction: ChatInputCommandInteraction | ButtonInteraction, plan: ReplyPlan, pace: Pace = unpaced): Promise<void> {
  const [first, ...rest] = plan.messages;
  if (!first) return;
  if (interaction.deferred || interaction.replied) {
    await pace();
    await interaction.followUp(createFields(first, true));
  } else await interaction.reply(createFields(first, true));
  await followUps(interaction, rest, true, pace);
}

/**
 * Defers an interaction's reply, once. The HTTP client may send the callback twice (a retry after a
 * lost answer); Discord then refuses the second with 40060 "already acknowledged". That means the
 * deferral took: carry on as deferred (edit the reply), rather than fail the command.
 */
export async function deferOnce(interaction: ChatInputCommandInteraction): Promise<void> {
  try {
    await interaction.deferReply();
  } catch (err) {
    if (!(err instanceof DiscordAPIError) || err.code !== RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged) throw err;
    interaction.deferred = true;
  }
}
