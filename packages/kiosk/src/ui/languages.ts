/**
 * The languages the patient screens speak. Pure data: the renderer, the vendor-profile schema and
 * the kiosk config all read the one list, so a language cannot be configured that has no texts.
 */

export const LANGUAGES = ['ja', 'en', 'zh', 'ko', 'vi', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'ja';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Each language named in itself: a patient looks for the name they can read. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  ja: '日本語',
  en: 'English',
  zh: '中文',
  ko: '한국어',
  vi: 'Tiếng Việt',
  pt: 'Português',
};

/**
 * BCP 47 tags for `lang` attributes and speech. Chinese is Simplified (the larger group of
 * visitors); Portuguese is Brazilian, the community in Japan that needs it.
 */
export const LANGUAGE_TAGS: Record<Language, string> = {
  ja: 'ja-JP',
  en: 'en-US',
  zh: 'zh-CN',
  ko: 'ko-KR',
  vi: 'vi-VN',
  pt: 'pt-BR',
};
