import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.ts';
import { toRendererProfile } from '../../../src/config/renderer-profile.ts';
import {
  listVendors,
  loadVendorProfile,
  UnknownVendorError,
  VENDORS_DIR,
} from '../../../src/config/vendor-profile.ts';

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>';

const valid = () => ({
  name: 'acme',
  displayName: 'Acme Readers',
  cardGuide: { image: 'guide.svg', orientation: 'portrait', textKey: 'guide.portrait' },
  brand: { primary: '#1f4e8c', accent: '#c0142d', logo: null as string | null },
  screen: { orientation: 'portrait', width: 1080, height: 1920 },
  camera: { width: 640, height: 480, facingMode: 'user' },
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vendor-'));
  writeFileSync(join(dir, 'guide.svg'), SVG);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the profile pretty-printed, as a vendor would, and loads it. */
function load(profile: unknown): ReturnType<typeof loadVendorProfile> {
  const file = join(dir, 'profile.json');
  writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
  return loadVendorProfile(file);
}

function refusal(profile: unknown): ConfigError {
  try {
    load(profile);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the profile was accepted');
}

/** The 1-based line of the written file that contains `text`, at or after the one containing `after`. */
function lineOf(text: string, after = ''): number {
  const lines = readFileSync(join(dir, 'profile.json'), 'utf8').split('\n');
  const from = lines.findIndex((l) => l.includes(after));
  return lines.findIndex((l, i) => i >= from && l.includes(text)) + 1;
}

describe('shipped vendor profiles', () => {
  it('are fujitsu, panasonic, almex and generic, each valid with its images inline', () => {
    expect(listVendors()).toEqual(expect.arrayContaining(['almex', 'fujitsu', 'generic', 'panasonic']));
    for (const name of listVendors()) {
      const profile = loadVendorProfile(name);
      expect(profile.data.name).toBe(name);
      expect(profile.images.cardGuide).toMatch(/^data:image\/svg\+xml;base64,/);
    }
  });

  it('place the card the way each reader takes it', () => {
    const orientation = (name: string) => loadVendorProfile(name).data.cardGuide.orientation;
    expect(orientation('fujitsu')).toBe('portrait');
    expect(orientation('almex')).toBe('portrait');
    expect(orientation('panasonic')).toBe('landscape');
    expect(loadVendorProfile('panasonic').data.cardGuide.textKey).toBe('guide.landscapeEitherWay');
  });

  it('turn into the renderer profile with the clinic’s languages and no file paths', () => {
    const profile = toRendererProfile(loadVendorProfile('panasonic'), {
      languages: ['ja', 'en'],
      defaultLanguage: 'ja',
    });
    expect(profile).toMatchObject({
      vendor: 'panasonic',
      cardGuide: { orientation: 'landscape', textKey: 'guide.landscapeEitherWay' },
      screen: { orientation: 'landscape', width: 1920, height: 1080 },
      languages: ['ja', 'en'],
      defaultLanguage: 'ja',
    });
    expect(profile.cardGuide.text?.ja).toContain('顔写真が表であればどちらでもOK');
    expect(JSON.stringify(profile)).not.toContain(VENDORS_DIR);
  });
});

describe('a vendor profile is refused', () => {
  it('for an unknown vendor name, listing the known ones', () => {
    expect(() => loadVendorProfile('nosuchvendor')).toThrow(UnknownVendorError);
    expect(() => loadVendorProfile('nosuchvendor')).toThrow(/known: .*fujitsu/);
    expect(() => loadVendorProfile('../etc')).toThrow(UnknownVendorError);
  });

  it('naming the file, the JSON path and the line of a bad colour', () => {
    const profile = valid();
    profile.brand.primary = 'blue';
    const error = refusal(profile);
    expect(error.message).toContain(join(dir, 'profile.json'));
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: 'brand.primary',
        line: lineOf('"primary"'),
        message: expect.any(String),
      }),
    ]);
    expect(error.message).toMatch(/brand\.primary \(line \d+\): expected a colour/);
  });

  it('for a primary colour white text cannot be read on', () => {
    const profile = valid();
    profile.brand.primary = '#7fb3ff';
    expect(refusal(profile).message).toMatch(
      /brand\.primary .*contrast with white is [\d.]+:1, below the 4.5:1/,
    );
  });

  it('at the object that lacks a required property', () => {
    const profile: Record<string, unknown> = valid();
    delete (profile.camera as Record<string, unknown>).facingMode;
    const [issue] = refusal(profile).issues;
    expect(issue).toMatchObject({ path: 'camera.facingMode', line: lineOf('"camera"') });
  });

  it('for an unknown property (a typo must not pass silently)', () => {
    const profile = { ...valid(), colour: '#000000' };
    expect(refusal(profile).issues[0]).toMatchObject({
      path: '',
      message: expect.stringContaining('colour'),
    });
  });

  it('for a portrait screen wider than tall', () => {
    const profile = valid();
    profile.screen.width = 1920;
    profile.screen.height = 1080;
    expect(refusal(profile).issues[0]).toMatchObject({
      path: 'screen.orientation',
      line: lineOf('"orientation"', '"screen"'),
    });
  });

  it('for a guide text key of its own without a Japanese text', () => {
    const profile = valid();
    profile.cardGuide.textKey = 'acme.slot';
    expect(refusal(profile).issues[0]?.path).toBe('cardGuide.text');
    const withText = { ...profile, cardGuide: { ...profile.cardGuide, text: { ja: '差し込んでください' } } };
    expect(load(withText).data.cardGuide.text?.ja).toBe('差し込んでください');
  });

  it('for a missing image, at the line that names it', () => {
    const profile = valid();
    profile.brand.logo = 'missing.svg';
    const [issue] = refusal(profile).issues;
    expect(issue).toMatchObject({ path: 'brand.logo', line: lineOf('"logo"') });
    expect(issue?.message).toContain('no such file');
  });

  it('for an SVG that carries a script', () => {
    writeFileSync(join(dir, 'guide.svg'), SVG.replace('<rect', '<script>alert(1)</script><rect'));
    expect(refusal(valid()).issues[0]).toMatchObject({ path: 'cardGuide.image', message: /script/ });
  });

  it('for a file that is not JSON, at the line of the mistake', () => {
    const file = join(dir, 'profile.json');
    writeFileSync(file, '{\n  "name": "acme",\n  "displayName": "Acme"\n  "brand": {}\n}\n');
    try {
      loadVendorProfile(file);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]).toMatchObject({ path: '', line: 4 });
      expect((error as ConfigError).message).toMatch(/not valid JSON/);
    }
  });
});

describe('the card-tray camera of a vendor profile', () => {
  const device = { source: 'device', deviceLabel: 'Card Tray', width: 1920, height: 1080, rotation: 180 };
  const faceRegion = {
    source: 'face-camera',
    region: { x: 0.25, y: 0.6, width: 0.5, height: 0.4 },
    rotation: 90,
  };

  it('is absent unless given, and reaches the renderer as given', () => {
    expect(load(valid()).data.cardCamera).toBeUndefined();
    expect(toRendererProfile(load(valid())).cardCamera).toBeUndefined();
    for (const cardCamera of [device, faceRegion]) {
      const profile = load({ ...valid(), cardCamera });
      expect(profile.data.cardCamera).toEqual(cardCamera);
      expect(toRendererProfile(profile).cardCamera).toEqual(cardCamera);
    }
  });

  it('ships on the panasonic reader as a camera of its own', () => {
    expect(loadVendorProfile('panasonic').data.cardCamera).toMatchObject({ source: 'device' });
  });

  const refused: [string, unknown, string, RegExp][] = [
    ['an unknown source', { ...device, source: 'webcam' }, 'cardCamera.source', /'device' or 'face-camera'/],
    ['a turn that is not a quarter', { ...device, rotation: 45 }, 'cardCamera.rotation', /0, 90, 180 or 270/],
    ['a device without its label', { ...device, deviceLabel: '' }, 'cardCamera.deviceLabel', /./],
    ['a device too small', { ...device, width: 100 }, 'cardCamera.width', /160/],
    [
      'a region past the right edge',
      { ...faceRegion, region: { x: 0.6, y: 0, width: 0.5, height: 1 } },
      'cardCamera.region.width',
      /past the right edge/,
    ],
    [
      'a region past the bottom edge',
      { ...faceRegion, region: { x: 0, y: 0.7, width: 1, height: 0.4 } },
      'cardCamera.region.height',
      /past the bottom edge/,
    ],
    [
      'a region of no width',
      { ...faceRegion, region: { x: 0, y: 0, width: 0, height: 1 } },
      'cardCamera.region.width',
      /more than 0/,
    ],
    [
      'a region outside the frame',
      { ...faceRegion, region: { x: -0.1, y: 0, width: 0.5, height: 1 } },
      'cardCamera.region.x',
      /0/,
    ],
    ['a region on a device', { ...device, region: faceRegion.region }, 'cardCamera', /region/],
    [
      'a face-camera source without its region',
      { source: 'face-camera', rotation: 0 },
      'cardCamera.region',
      /./,
    ],
  ];
  it.each(refused)('refuses %s, at its JSON path', (_what, cardCamera, path, message) => {
    const [issue, ...more] = refusal({ ...valid(), cardCamera }).issues;
    expect(more).toEqual([]);
    expect(issue).toMatchObject({ path, message: expect.stringMatching(message) });
  });
});
