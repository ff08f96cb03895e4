import { describe, expect, it } from 'vitest';
import { PatientSession } from '../../../src/ui/patient-session.ts';

const clinic = { languages: ['ja', 'en', 'vi'], defaultLanguage: 'ja' };

function session(): PatientSession {
  const s = new PatientSession();
  s.configure(clinic);
  s.onScreen('idle');
  return s;
}

describe('one patient’s choices', () => {
  it('last through the visit and are reset when the kiosk is back on idle', () => {
    const s = session();
    expect(s.choose('vi')).toBe(true);
    s.toggleMute();
    for (const screen of ['reading', 'method', 'pin', 'consent', 'done', 'take-card'] as const) {
      expect(s.onScreen(screen)).toBe(false);
      expect(s.language).toBe('vi');
      expect(s.muted).toBe(true);
    }
    expect(s.onScreen('idle')).toBe(true);
    expect(s.language).toBe('ja');
    expect(s.muted).toBe(false);
  });

  it('may be made on the idle screen, before the card is placed', () => {
    const s = session();
    s.choose('en');
    expect(s.onScreen('idle')).toBe(false);
    s.onScreen('reading');
    expect(s.language).toBe('en');
  });

  it('are limited to the languages the clinic offers', () => {
    const s = session();
    expect(s.choose('ko')).toBe(false);
    expect(s.choose('fr')).toBe(false);
    expect(s.language).toBe('ja');
    expect(s.languages).toEqual(['ja', 'en', 'vi']);
  });

  it('fall back to the clinic default, and to an offered language when the default is not offered', () => {
    const s = new PatientSession();
    s.configure({ languages: ['en', 'pt', 'xx'], defaultLanguage: 'ja' });
    expect(s.languages).toEqual(['en', 'pt']);
    expect(s.language).toBe('en');
  });

  it('survive a new profile mid-visit when the language is still offered', () => {
    const s = session();
    s.onScreen('method');
    s.choose('en');
    s.configure(clinic);
    expect(s.language).toBe('en');
    s.configure({ languages: ['ja'], defaultLanguage: 'ja' });
    expect(s.language).toBe('ja');
  });
});
