import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../../src/ui/i18n.ts';
import type { KioskRendererProfile } from '../../../src/ui/renderer-profile.ts';

const profile = (cardGuide: Partial<KioskRendererProfile['cardGuide']>): KioskRendererProfile => ({
  vendor: 'test',
  cardGuide: { image: '', orientation: 'portrait', textKey: 'guide.portrait', ...cardGuide },
  brand: { primary: '#1f4e8c', accent: '#c0142d', logo: null },
  screen: { orientation: 'portrait', width: 1080, height: 1920 },
  camera: { width: 640, height: 480, facingMode: 'user' },
  languages: ['ja', 'en'],
  defaultLanguage: 'ja',
});

describe('the translator', () => {
  it('switches language and fills placeholders without HTML escaping', () => {
    const tr = createTranslator('ja');
    expect(tr.t('pin.triesLeft', { tries: 2 })).toBe('入力できる残りの回数：2回');
    tr.setLanguage('en');
    expect(tr.t('pin.triesLeft', { tries: 2 })).toBe('Tries left: 2');
    expect(tr.t('done.heading', { name: 'A & <B>' })).toBe('Thank you, A & <B>. Your check is complete.');
  });

  it('falls back for a reason code it does not know', () => {
    const tr = createTranslator('en');
    expect(tr.tDynamic('reason.too-far', 'reason.unknown')).toBe('Please come a little closer.');
    expect(tr.tDynamic('reason.new-code', 'reason.unknown')).toBe('Please try again.');
  });

  it('shows the vendor’s own card-guide wording, per language', () => {
    const tr = createTranslator('ja');
    const own = profile({ textKey: 'guide.landscapeEitherWay', text: { ja: '横に置いてください。' } });
    expect(tr.guideText(own)).toBe('横に置いてください。');
    tr.setLanguage('en');
    // No English wording from the vendor: the built-in English text of the same key.
    expect(tr.guideText(own)).toBe(
      'Place the card sideways. Either way round is fine, as long as the photo faces up.',
    );
  });

  it('falls back to the vendor’s Japanese for a key of the vendor’s own', () => {
    const tr = createTranslator('ko');
    expect(tr.guideText(profile({ textKey: 'acme.slot', text: { ja: '差し込んでください' } }))).toBe(
      '差し込んでください',
    );
  });
});
