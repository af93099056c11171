/**
 * Answers interactions with rendered replies: the first message as the interaction's response
 * (a reply, the edit of a deferred reply, or the update of the message whose button was pressed),
 * the rest as follow-ups. Errors and refusals are ephemeral: only the caller sees them.
 */
import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
} from 'discord.js';
import { DISCORD_CUSTOM_ID_CHARS, type PageCodec } from '../../src/commands/pager.js';
import type { Reply } from '../../src/commands/types.js';
import { renderDiscordReply, type DiscordMessage } from './render.js';

/** What to send for one reply. */
export interface ReplyPlan {
  messages: DiscordMessage[];
  /** Only the caller sees it (errors, refusals, expired buttons). */
  ephemeral: boolean;
}

/** Renders a reply with its page buttons (custom_ids within Discord's 100 characters). */
export function planReply(reply: Reply, pages: PageCodec): ReplyPlan {
  const pager = pages.buttonsFor(reply, DISCORD_CUSTOM_ID_CHARS);
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

async function followUps(interaction: ChatInputCommandInteraction | ButtonInteraction, messages: readonly DiscordMessage[], ephemeral: boolean): Promise<void> {
  for (const message of messages) await interaction.followUp(createFields(message, ephemeral));
}

/**
 * Answers a slash command. A deferred reply is edited in place; when the answer is ephemeral,
 * the public "thinking…" placeholder is deleted and the answer follows up ephemerally, since a
 * deferred reply cannot change who sees it.
 */
export async function answerCommand(interaction: ChatInputCommandInteraction, plan: ReplyPlan): Promise<void> {
  const [first, ...rest] = plan.messages;
  if (!first) return;
  if (interaction.deferred && !interaction.replied) {
    if (plan.ephemeral && !interaction.ephemeral) {
      await interaction.deleteReply();
      await interaction.followUp(createFields(first, true));
    } else {
      await interaction.editReply(editFields(first));
    }
  } else if (interaction.replied) {
    await interaction.followUp(createFields(first, plan.ephemeral));
  } else {
    await interaction.reply(createFields(first, plan.ephemeral));
  }
  await followUps(interaction, rest, plan.ephemeral);
}

/**
 * Answers a page button: the message the button is on is replaced by the new page (its buttons
 * included); an ephemeral answer (an error) goes to the presser alone and leaves the message as it was.
 */
export async function answerButton(interaction: ButtonInteraction, plan: ReplyPlan): Promise<void> {
  const [first, ...rest] = plan.messages;
  if (!first) return;
  if (plan.ephemeral) {
    if (interaction.deferred || interaction.replied) await interaction.followUp(createFields(first, true));
    else await interaction.reply(createFields(first, true));
    await followUps(interaction, rest, true);
    return;
  }
  // The pager row is on the last message of a reply; the updated message is the one pressed, so it keeps the row.
  const components = plan.messages.at(-1)?.components ?? [];
  const updated = editFields({ ...first, components });
  if (interaction.deferred && !interaction.replied) await interaction.editReply(updated);
  else await interaction.update(updated);
  await followUps(interaction, rest.map(({ components: _dropped, ...message }) => message), false);
}

/** Answers with an ephemeral message whatever state the interaction is in (used for failures). */
export async function answerEphemerally(interaction: ChatInputCommandInteraction | ButtonInteraction, plan: ReplyPlan): Promise<void> {
  const [first, ...rest] = plan.messages;
  if (!first) return;
  if (interaction.deferred || interaction.replied) await interaction.followUp(createFields(first, true));
  else await interaction.reply(createFields(first, true));
  await followUps(interaction, rest, true);
}
