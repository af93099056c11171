/** The languages newsbot speaks. */
export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * Maps a platform locale ("en-US", "zh-hans", "zh_CN", Telegram `language_code`, Discord locale)
 * to a supported language, or null when it is none of ours.
 */
export function languageFromLocale(locale: string | null | undefined): Language | null {
  if (!locale) return null;
  const primary = locale.toLowerCase().split(/[-_]/)[0];
  return primary === 'zh' || primary === 'en' ? primary : null;
}
