/**
 * The platform DeliveryPorts `newsbot deliver` sends through: the real adapters' ports built from
 * the configured tokens, or (for --dry-run) the same ports whose transport only records the request
 * it would have made, so the printed payloads are exactly what the real sender posts.
 */
import type { Config } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import { reportError, type Logger } from '../../src/log.js';
import type { DeliveryPort } from '../../src/platform.js';

export type DeliverPlatform = 'telegram' | 'discord';

/** One request the dry run would have sent. */
export type DryRunRequest =
  | { method: 'sendMessage'; params: Record<string, unknown> }
  | { method: 'POST'; route: string; body: Record<string, unknown> };

const TOKEN_VARIABLE: Record<DeliverPlatform, string> = { telegram: 'TELEGRAM_BOT_TOKEN', discord: 'DISCORD_TOKEN' };

/** The real port for `platform`; a UsageError naming the variable when its token is not set. */
export async function livePort(platform: DeliverPlatform, config: Config, logger: Logger): Promise<DeliveryPort> {
  const onError = (error: unknown) => reportError(logger, error);
  if (platform === 'telegram') {
    const token = config.TELEGRAM_BOT_TOKEN;
    if (!token) throw new UsageError(`--to telegram:… needs ${TOKEN_VARIABLE.telegram} (set it in the environment or in .env)`);
    const { Telegram } = await import('telegraf');
    const { createTelegramDeliveryPort } = await import('../telegram/delivery.js');
    const telegram = new Telegram(token, config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {});
    return createTelegramDeliveryPort(telegram, { timeoutMs: config.SEND_TIMEOUT, onError });
  }
  const token = config.DISCORD_TOKEN;
  if (!token) throw new UsageError(`--to discord:… needs ${TOKEN_VARIABLE.discord} (set it in the environment or in .env)`);
  const { createDiscordDeliveryPort, createDiscordRest } = await import('../discord/delivery.js');
  const rest = createDiscordRest({ token, ...(config.DISCORD_API_BASE ? { apiBase: config.DISCORD_API_BASE } : {}) });
  return createDiscordDeliveryPort(rest, { timeoutMs: config.SEND_TIMEOUT, onError });
}

/** The real port with a transport that records instead of sending (no token needed, no network). */
export async function dryRunPort(platform: DeliverPlatform): Promise<{ port: DeliveryPort; requests: DryRunRequest[] }> {
  const requests: DryRunRequest[] = [];
  let next = 1;
  if (platform === 'telegram') {
    const { Telegram } = await import('telegraf');
    const { createTelegramDeliveryPort } = await import('../telegram/delivery.js');
    const telegram = new Telegram('0:dry-run');
    // The sender's one call; answering like Telegram lets the real sender build and finish the request.
    Object.assign(telegram, {
      callApi: async (method: string, params: Record<string, unknown>) => {
        requests.push({ method: 'sendMessage', params: { ...params } });
        return { message_id: next++, method };
      },
    });
    return { port: createTelegramDeliveryPort(telegram), requests };
  }
  const { createDiscordDeliveryPort, createDiscordRest } = await import('../discord/delivery.js');
  const rest = createDiscordRest({ token: 'dry-run' });
  Object.assign(rest, {
    post: async (route: string, options: { body?: Record<string, unknown> } = {}) => {
      requests.push({ method: 'POST', route, body: { ...(options.body ?? {}) } });
      return { id: String(next++) };
    },
  });
  return { port: createDiscordDeliveryPort(rest), requests };
}
