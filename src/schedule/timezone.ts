/** Time zones as admins type them, checked against the runtime's IANA data. */
import { isValidTimeZone } from '../config.js';

/** The canonical spelling of a valid zone ("utc" → "UTC", "asia/shanghai" → "Asia/Shanghai"), or null. */
export function canonicalTimeZone(zone: string): string | null {
  const z = zone.trim();
  if (!isValidTimeZone(z)) return null;
  return new Intl.DateTimeFormat('en-US', { timeZone: z }).resolvedOptions().timeZone;
}
