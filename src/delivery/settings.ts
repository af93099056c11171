/** Schedules and time zones as admins type them, checked; a bad one is a `UsageError` listing the accepted forms. */
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { deliveryText } from '../i18n/delivery.js';
import { parseSchedule } from '../schedule/expression.js';
import { canonicalTimeZone } from '../schedule/timezone.js';
import type { DigestMode } from '../digest/digest.js';
import type { Language } from '../i18n/language.js';
import { digestBuilder, type DigestBuilder } from './outbox.js';
import { rateLimitsFromConfig, type RateLimits } from './rate-limiter.js';

/**
 * A normalised 5-field cron, or null for `off`. Throws `UsageError` whose message (English) lists
 * the accepted forms; `context` has `field: 'schedule'`, `input` and `detail` for a localised reply
 * built from `deliveryText`.
 */
export function checkSchedule(text: string): string | null {
  const parsed = parseSchedule(text);
  if (parsed.ok) return parsed.cron;
  const en = deliveryText.en;
  throw new UsageError(`${en.scheduleInvalid(parsed.input, parsed.detail)}\n${en.scheduleForms}`, {
    field: 'schedule',
    input: parsed.input,
    detail: parsed.detail,
  });
}

/** The canonical IANA name; throws `UsageError` (context `field: 'timezone'`, `input`) with examples. */
export function checkTimeZone(zone: string): string {
  const canonical = canonicalTimeZone(zone);
  if (canonical) return canonical;
  throw new UsageError(deliveryText.en.timezoneInvalid(zone.trim()), { field: 'timezone', input: zone.trim() });
}

/** What a new subscription gets when the admin does not say. */
export interface DeliveryDefaults {
  /** As typed (DEFAULT_SCHEDULE): any accepted form. */
  schedule: string;
  timezone: string;
  mode: DigestMode;
  language: Language;
}

/** The settings of the delivery service that come from configuration. */
export interface DeliverySettings {
  defaults: DeliveryDefaults;
  catchUpMaxAgeMs: number;
  publishOnArrival: boolean;
  maxAttempts: number;
  sendTimeoutMs: number;
  rates: RateLimits;
  buildDigest: DigestBuilder;
}

export function deliverySettingsFromConfig(config: Config): DeliverySettings {
  return {
    defaults: {
      schedule: config.DEFAULT_SCHEDULE,
      timezone: config.DEFAULT_TIMEZONE,
      mode: config.DEFAULT_MODE,
      language: config.DEFAULT_LANGUAGE,
    },
    catchUpMaxAgeMs: config.CATCHUP_MAX_AGE,
    publishOnArrival: config.PUBLISH_ON_ARRIVAL,
    maxAttempts: config.MAX_ATTEMPTS,
    sendTimeoutMs: config.SEND_TIMEOUT,
    rates: rateLimitsFromConfig(config),
    buildDigest: digestBuilder(config.ISSUE_WEB_URL),
  };
}
