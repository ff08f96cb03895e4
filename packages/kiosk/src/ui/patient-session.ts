/**
 * What one patient chose for themselves (language, voice guidance off) and when it ends: the moment
 * the kiosk is back on the idle screen, the next patient gets the clinic's default language and
 * voice guidance on, whatever the last one picked.
 */
import type { Screen } from '../common/ui-protocol.ts';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from './languages.ts';

export interface LanguageDefaults {
  languages: readonly string[];
  defaultLanguage: string;
}

export class PatientSession {
  language: Language = DEFAULT_LANGUAGE;
  muted = false;
  private offered: Language[] = [DEFAULT_LANGUAGE];
  private fallback: Language = DEFAULT_LANGUAGE;
  private screen: Screen | null = null;

  /** The clinic's choice; a language it does not offer (or we have no texts for) is never used. */
  configure(defaults: LanguageDefaults): void {
    const offered = defaults.languages.filter(isLanguage);
    this.offered = offered.length > 0 ? offered : [DEFAULT_LANGUAGE];
    this.fallback =
      isLanguage(defaults.defaultLanguage) && this.offered.includes(defaults.defaultLanguage)
        ? defaults.defaultLanguage
        : (this.offered[0] as Language);
    if (this.screen === null || this.screen === 'idle' || !this.offered.includes(this.language)) {
      this.language = this.fallback;
    }
  }

  get languages(): readonly Language[] {
    return this.offered;
  }

  /** Follows the screens; true when this view starts a new patient (and the choices were reset). */
  onScreen(screen: Screen): boolean {
    const next = screen === 'idle' && this.screen !== 'idle';
    this.screen = screen;
    if (next) {
      this.language = this.fallback;
      this.muted = false;
    }
    return next;
  }

  choose(language: string): boolean {
    if (!isLanguage(language) || !this.offered.includes(language)) return false;
    this.language = language;
    return true;
  }

  toggleMute(): boolean {
    this.muted = !this.muted;
    return this.muted;
  }
}
