/**
 * The kiosk's card-front reader with real Tesseract on synthetic tray photographs whose truth is
 * known: clean fronts read exactly either way up or sideways, the card's back, another card and an
 * empty tray never give a number, and over a mixed set no read passes the gate with a wrong one.
 */
import { verificationNumberB } from '@myna/card/verification-number.js';
import {
  type CardFrontOutcome,
  type CardFrontReader,
  cardFrontReader,
} from '@myna/kiosk/card-front/card-front-reader.js';
import { checkRead, DEFAULT_MIN_CONFIDENCE } from '@myna/kiosk/card-front/number-b-gate.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CardFrontSample, generateCardFrontSet } from '../../../src/card-front/card-front-set.ts';
import { randomCardFrontSpec } from '../../../src/card-front/card-front-spec.ts';
import { encodeJpeg, photograph, randomConditions } from '../../../src/card-front/photograph.ts';
import { seededRandom } from '../../../src/card-front/random.ts';
import {
  inventedMyNumber,
  renderCardBack,
  renderOtherCard,
} from '../../../src/card-front/render-negatives.ts';
import { HOLDERS, holderPhoto, TURNS } from './card-front-photos.ts';

const TODAY = '2026-12-07';
const SEED = 'card-front-reader-it';

describe('card-front reader on synthetic tray photographs', () => {
  let reader: CardFrontReader;

  beforeAll(async () => {
    reader = await cardFrontReader();
  });

  afterAll(() => reader?.close());

  it.each([0, 1, 2] as const)(
    'reads holder %i laid its way exactly, and the gate gives its 照合番号B',
    async (k) => {
      const holder = HOLDERS[k];
      const { jpeg, truth } = await holderPhoto(k);
      const outcome = await reader.read(jpeg);
      expect(outcome).toMatchObject({ ok: true });
      if (!outcome.ok) return;
      const { birth, validUntil, securityCode } = outcome.read;
      expect(birth).toEqual(truth.birthPrinted);
      expect(validUntil).toEqual(calendarDay(truth.validUntil!));
      expect(securityCode).toBe(truth.securityCode);
      // Sideways, which way up the flat card first came out depends on the corner the locator starts at.
      if (TURNS[k] !== 90) expect(outcome.upsideDown).toBe(TURNS[k] === 180);
      expect(truth.numberB).toBe(
        verificationNumberB(holder.birthDate, holder.cardExpiry, holder.securityCode),
      );
      expect(checkRead(outcome.read, DEFAULT_MIN_CONFIDENCE, TODAY)).toEqual({
        ok: true,
        numberB: truth.numberB,
      });
    },
  );

  describe('negatives', () => {
    const outcomes = new Map<string, CardFrontOutcome>();
    let myNumber = '';

    beforeAll(async () => {
      const random = seededRandom(7);
      const spec = randomCardFrontSpec(random, TODAY);
      const conditions = randomConditions(random, 'clean');
      // The back's 12 digits are its only int() draws: replaying them recovers the printed number.
      const draws: number[] = [];
      const recording = {
        ...random,
        int: (min: number, max: number) => {
          const n = random.int(min, max);
          draws.push(n);
          return n;
        },
      };
      const photos = {
        back: photograph(renderCardBack(spec, recording), conditions),
        // Seeds whose first draw makes renderOtherCard draw one kind or the other.
        insurance: photograph(renderOtherCard(spec, seededRandom(1)), conditions),
        licence: photograph(renderOtherCard(spec, seededRandom(7)), conditions),
        empty: photograph(null, conditions),
      };
      myNumber = inventedMyNumber({ ...random, int: () => draws.shift()! });
      for (const [kind, photo] of Object.entries(photos))
        outcomes.set(kind, await reader.read(await encodeJpeg(photo, conditions.jpegQuality)));
    });

    it('give no number, and the My Number printed on the back is nowhere in the outcome', () => {
      expect([...outcomes.values()].map((o) => o.ok)).toEqual([false, false, false, false]);
      expect(myNumber).toMatch(/^\d{12}$/);
      const shown = JSON.stringify([...outcomes.values()]);
      expect(shown).not.toContain(myNumber);
      expect(shown).not.toContain(`${myNumber.slice(0, 4)} ${myNumber.slice(4, 8)} ${myNumber.slice(8)}`);
    });

    it('tell the patient why: the card lies face down, is another card, or is not there', () => {
      expect(outcomes.get('back')).toMatchObject({ problem: 'card-back' });
      expect(outcomes.get('insurance')).toMatchObject({ problem: 'other-card' });
      expect(outcomes.get('empty')).toMatchObject({ problem: 'no-card' });
    });

    // A licence prints a twelve-digit number too (「第…号」): that is another card, not a back.
    it('tell a licence for another card', () => {
      expect(outcomes.get('licence')).toMatchObject({ problem: 'other-card' });
    });
  });

  it('lets no wrong number and no negative past the gate over a mixed set', async () => {
    const passed: { id: string; kind: string; numberB: string; truth: string | null }[] = [];
    const outcomes: { sample: CardFrontSample; outcome: CardFrontOutcome }[] = [];
    for await (const sample of generateCardFrontSet({
      count: 16,
      seed: SEED,
      today: TODAY,
      negatives: 0.25,
    })) {
      const outcome = await reader.read(sample.jpeg);
      outcomes.push({ sample, outcome });
      if (!outcome.ok) continue;
      const checked = checkRead(outcome.read, DEFAULT_MIN_CONFIDENCE, TODAY);
      if (checked.ok)
        passed.push({
          id: sample.id,
          kind: sample.truth.kind,
          numberB: checked.numberB,
          truth: sample.truth.numberB,
        });
    }
    const negatives = outcomes.filter(({ sample }) => sample.truth.kind !== 'front');
    expect(negatives).toHaveLength(4);
    expect(negatives.filter(({ outcome }) => outcome.ok).map(({ sample }) => sample.id)).toEqual([]);
    expect(passed.filter((p) => p.numberB !== p.truth)).toEqual([]);
    // Not vacuous: a fair share of the fronts does reach the card.
    expect(passed.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

function calendarDay(iso: string) {
  return { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)), day: Number(iso.slice(8, 10)) };
}
