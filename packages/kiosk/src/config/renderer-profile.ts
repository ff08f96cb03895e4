import { DEFAULT_LANGUAGE, LANGUAGES } from '../ui/languages.ts';
import type { KioskRendererProfile } from '../ui/renderer-profile.ts';
import type { VendorProfile } from './vendor-profile.ts';

/** The clinic's language choice, from the kiosk config. */
export interface LanguageChoice {
  languages: string[];
  defaultLanguage: string;
}

const ALL_LANGUAGES: LanguageChoice = { languages: [...LANGUAGES], defaultLanguage: DEFAULT_LANGUAGE };

/** What the renderer is sent about the vendor: no file paths, images inline. */
export function toRendererProfile(
  profile: VendorProfile,
  choice: LanguageChoice = ALL_LANGUAGES,
): KioskRendererProfile {
  const { data, images } = profile;
  return {
    vendor: data.name,
    cardGuide: {
      image: images.cardGuide,
      orientation: data.cardGuide.orientation,
      textKey: data.cardGuide.textKey,
      ...(data.cardGuide.text ? { text: { ...data.cardGuide.text } } : {}),
    },
    brand: { primary: data.brand.primary, accent: data.brand.accent, logo: images.logo },
    screen: { ...data.screen },
    camera: { ...data.camera },
    ...(data.cardCamera ? { cardCamera: structuredClone(data.cardCamera) } : {}),
    languages: [...choice.languages],
    defaultLanguage: choice.defaultLanguage,
  };
}
