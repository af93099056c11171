/**
 * Schedules and time zones as admins type them, checked. A bad one is a value (`SettingRefused`)
 * the commands turn into a localised reply listing the accepted forms, not an exception.
 */
import type { Config } from '../config.js';
import type { DigestMode } from '../digest/digest.js';
import { deliveryText } from '../i18n/delivery.js';
import type { Language } from '../i18n/language.js';
import { parseSchedule } from '../schedule/expression.js';
import { canonicalTimeZone } from '../schedule/timezone.js';
import { rateLimitsFromConfig, type RateLimits } from './rate-limiter.js';

/** Why a schedule or time zone was refused: what was typed, and (schedule) the parser's detail. */
export interface SettingRefused {
  ok: false;
  field: 'schedule' | 'timezone';
  input: string;
  /** The parser's reason (English), for a schedule. */
  detail?: string;
  /** In English, with the accepted forms or examples: for logs and the command line. */
  message: string;
}

export type Checked<T> = { ok: true; value: T } | SettingRefused;

/** A normalised 5-field cron, or null for `off`. */
export function checkSchedule(text: string): Checked<string | null> {
  const parsed = parseSchedule(text);
  if (parsed.ok) return { ok: true, value: parsed.cron };
  const en = deliveryText.en;
  return {
    ok: false,
    field: 'schedule',
    input: parsed.input,
    detail: parsed.detail,
    message: `${en.scheduleInvalid(parsed.input, parsed.detail)}\n${en.scheduleForms}`,
  };
}

/** The canonical IANA name. */
export function checkTimeZone(zone: string): Checked<string> {
  const canonical = canonicalTimeZone(zone);
  if (canonical) return { ok: true, value: canonical };
  const input = zone.trim();
  return { ok: false, field: 'timezone', input, message: deliveryText.en.timezoneInvalid(input) };
}

/** What a new subscription gets when the admin does not say. */
export interface DeliveryDefaults {
  /** As typed (DEFAULT_SCHEDULE): any accepted form. */
  schedule: string;
  timezone: string;
  mode: DigestMode;
  language: Language;
}

/** The settings of delivery that come from configuration. */
export interface DeliverySettings {
  defaults: DeliveryDefaults;
  catchUpMaxAgeMs: number;
  publishOnArrival: boolean;
  maxAttempts: number;
  sendTimeoutMs: number;
  rates: RateLimits;
  /**
   * How long a chat's lease lasts (LEASE_SECONDS; default 60 s): another instance takes a chat over
   * only once its sender has not renewed it for this long. Each committed outcome renews it.
   */
  leaseMs?: number;
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
    leaseMs: config.LEASE_SECONDS * 1000,
  };
}
