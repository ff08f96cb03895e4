/**
 * The bar on every screen: the vendor's logo, the language switch (each language named in itself)
 * and voice guidance on/off. Updated in place, so a button keeps focus after it is pressed.
 */
import { button, h } from './dom.ts';
import type { Translator } from './i18n.ts';
import { LANGUAGE_NAMES, LANGUAGE_TAGS, type Language } from './languages.ts';

const SVG = 'http://www.w3.org/2000/svg';

function speakerIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const parts: [string, string][] = [
    ['M3 9h4l5-4v14l-5-4H3z', 'icon-body'],
    ['M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11', 'icon-waves'],
    ['M16 9l6 6M22 9l-6 6', 'icon-cross'],
  ];
  for (const [d, className] of parts) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    path.setAttribute('class', className);
    svg.append(path);
  }
  return svg;
}

export interface ToolbarState {
  tr: Translator;
  languages: readonly Language[];
  muted: boolean;
  logo: string | null;
}

export class Toolbar {
  readonly root: HTMLElement;
  private readonly logo: HTMLImageElement;
  private readonly languages: HTMLElement;
  private readonly mute: HTMLButtonElement;
  private readonly muteLabel: HTMLElement;
  private offered = '';
  private readonly buttons = new Map<Language, HTMLButtonElement>();

  constructor(
    private readonly onLanguage: (language: Language) => void,
    onMute: () => void,
  ) {
    this.logo = h('img', { class: 'logo', alt: '' });
    this.languages = h('nav', { class: 'languages' });
    this.muteLabel = h('span', { class: 'mute-label' });
    this.mute = button('', onMute, 'quiet', 'mute');
    this.mute.className = 'button button--quiet mute';
    this.mute.replaceChildren(speakerIcon(), this.muteLabel);
    this.root = h('header', { class: 'bar' }, this.logo, this.languages, this.mute);
  }

  render(state: ToolbarState): void {
    const { tr } = state;
    this.logo.hidden = state.logo === null;
    if (state.logo !== null && this.logo.src !== state.logo) this.logo.src = state.logo;
    this.languages.setAttribute('aria-label', tr.t('app.language'));
    if (this.offered !== state.languages.join()) this.buildLanguages(state.languages);
    for (const [language, element] of this.buttons) {
      element.setAttribute('aria-pressed', String(language === tr.language));
    }
    this.mute.dataset.muted = String(state.muted);
    this.muteLabel.textContent = tr.t(state.muted ? 'app.unmute' : 'app.mute');
  }

  private buildLanguages(languages: readonly Language[]): void {
    this.offered = languages.join();
    this.buttons.clear();
    // One language offered: nothing to switch.
    this.languages.hidden = languages.length < 2;
    this.languages.replaceChildren(
      ...languages.map((language) => {
        const element = button(
          LANGUAGE_NAMES[language],
          () => this.onLanguage(language),
          'quiet',
          `lang-${language}`,
        );
        element.className = 'button button--quiet language';
        element.lang = LANGUAGE_TAGS[language];
        this.buttons.set(language, element);
        return element;
      }),
    );
  }
}
