/** User-facing strings of the delivery area: schedule and time-zone errors (status texts come with the commands). */
import { defineCatalog } from './catalog.js';

export const deliveryText = defineCatalog(
  {
    scheduleForms: [
      '• cron 表达式（5 个字段：分 时 日 月 星期），例如 "0 8 * * *"',
      '• daily HH:MM，例如 "daily 08:00"',
      '• weekly <星期> HH:MM，例如 "weekly mon 08:00" 或 "weekly 周一 08:00"（mon…sun、周一…周日、星期一…星期日）',
      '• off（不定时推送）',
    ].join('\n'),
    scheduleInvalid: (input: string, detail: string) => `无法识别的时间表 "${input}"：${detail}。可用的写法：`,
    timezoneInvalid: (input: string) =>
      `无法识别的时区 "${input}"。请使用 IANA 时区名，例如 Asia/Shanghai、Europe/Berlin、America/New_York 或 UTC。`,
  },
  {
    scheduleForms: [
      '• a cron expression (5 fields: minute hour day month weekday), e.g. "0 8 * * *"',
      '• daily HH:MM, e.g. "daily 08:00"',
      '• weekly <day> HH:MM, e.g. "weekly mon 08:00" or "weekly 周一 08:00" (mon…sun, 周一…周日, 星期一…星期日)',
      '• off (no timed posts)',
    ].join('\n'),
    scheduleInvalid: (input: string, detail: string) => `Unrecognised schedule "${input}": ${detail}. Accepted forms:`,
    timezoneInvalid: (input: string) =>
      `Unknown time zone "${input}". Use an IANA name such as Asia/Shanghai, Europe/Berlin, America/New_York or UTC.`,
  },
);
