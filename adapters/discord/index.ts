/** The Discord adapter, for adapters/main.ts: `discordAdapter()` is its AdapterFactory. */
export { createDiscordAdapter, discordAdapter, type DiscordAdapter, type DiscordAdapterOptions } from './chat.js';
