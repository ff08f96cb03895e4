/**
 * The patient's language: i18next over the texts in ./locales, with Japanese as the fallback. Keys
 * are checked at compile time, so a screen cannot ask for a text that no language has.
 */
import i18next from 'i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './languages.ts';
import { MESSAGES, type Messages } from './locales/index.ts';
import type { KioskRendererProfile } from './renderer-profile.ts';

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = Leaves<Messages>;
export type Vars = Record<string, string | number>;

export interface Translator {
  readonly language: Language;
  t(key: MessageKey, vars?: Vars): string;
  /** For keys made at run time (a reason code from the face engine, a stop code). */
  has(key: string): boolean;
  tDynamic(key: string, fallback: MessageKey, vars?: Vars): string;
  setLanguage(language: Language): void;
  /** The vendor's card-guide caption in the current language. */
  guideText(profile: KioskRendererProfile): string;
}

export function createTranslator(language: Language = DEFAULT_LANGUAGE): Translator {
  const i18n = i18next.createInstance();
  void i18n.init({
    resources: Object.fromEntries(LANGUAGES.map((lang) => [lang, { translation: MESSAGES[lang] }])),
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    // Texts only ever reach the page through textContent: escaping here would show "&amp;".
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  let current: Language = language;
  const translate = (key: string, vars?: Vars) => i18n.t(key, { ...vars, lng: current });
  const has = (key: string) => i18n.exists(key, { lng: current });
  return {
    get language() {
      return current;
    },
    t: translate,
    has,
    tDynamic: (key, fallback, vars) => translate(has(key) ? key : fallback, vars),
    setLanguage(next) {
      current = next;
    },
    guideText(profile) {
      const { text, textKey } = profile.cardGuide;
      const own = text?.[current];
      if (own) return own;
      // A key of the vendor's own has no built-in text: its Japanese is the fallback.
      if (!has(textKey) && text?.[DEFAULT_LANGUAGE]) return text[DEFAULT_LANGUAGE];
      return translate(textKey);
    },
  };
}
