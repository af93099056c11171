/**
 * Who sent a Discord interaction, as the commands core sees it. A guild channel is a 'guild' chat
 * whose admins are the members with Manage Server (Administrator implies it); a DM is a 'private'
 * chat whose only reader is its admin. In a thread, the chat is the parent channel and the thread
 * is the `threadId`, so a subscription made there posts into that thread.
 */
import { ChannelType, PermissionFlagsBits, type BaseInteraction } from 'discord.js';
import type { Caller } from '../../src/commands/types.js';
import { languageFromLocale } from '../../src/i18n/language.js';

/**
 * The interaction's own `channel` object as Discord sent it. An interaction from the HTTP endpoint
 * finds no channel in discord.js's cache (there is no gateway to fill it), so its thread parent is read here.
 */
export interface ChannelHint {
  type?: unknown;
  parent_id?: unknown;
}

const THREADS: ReadonlySet<unknown> = new Set([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

/** The caller of a chat-input command, autocomplete or button interaction. */
export function callerFromInteraction(interaction: BaseInteraction, hint?: ChannelHint): Caller {
  const channelId = interaction.channelId ?? interaction.user.id;
  const channel = interaction.channel;
  const parentId = channel ? (channel.isThread() ? channel.parentId : null) : THREADS.has(hint?.type) && typeof hint?.parent_id === 'string' ? hint.parent_id : null;
  const inThread = parentId !== null;
  const inGuild = interaction.guildId !== null;
  // memberPermissions is computed by Discord for this member in this channel, overwrites included;
  // it is read per interaction, so a member who just lost the permission is refused at once.
  const isAdmin = inGuild ? (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false) : true;
  return {
    platform: 'discord',
    userId: interaction.user.id,
    chatId: parentId ?? channelId,
    threadId: inThread ? channelId : null,
    chatType: inGuild ? 'guild' : 'private',
    // The reader's own client language first; the server's language when theirs is not one of ours.
    language: languageFromLocale(interaction.locale) ?? languageFromLocale(interaction.guildLocale),
    isChatAdmin: async () => isAdmin,
  };
}
