import type { SecretStatus } from '@myna/card/apps/secret.js';
import { type CardFrontRead, exactRead } from '@myna/card/card-front-read.js';
import { WrongPinError } from '@myna/card/errors.js';
import {
  type CardFrontSource,
  type NumberBLock,
  numberBGate,
  OpticalReadRefusedError,
} from '@myna/kiosk/card-front/number-b-gate.js';
import { describe, expect, it } from 'vitest';

const TODAY = '2026-12-07';
// Born 1980-02-17 (昭和55), card to 2035, code 2285: 照合番号B 55021720352285.
const GOOD = exactRead('1980-02-17', '2035-02-17', '2285');
const NUMBER = '55021720352285';
const MISREAD = exactRead('1980-02-17', '2035-02-17', '2286');

/** A card-face application that answers like the card: tries counted, a right number verifies. */
function lock(triesLeft = 10, secret = NUMBER) {
  const state = { triesLeft, verified: false, statusReads: 0, verifies: [] as string[] };
  const api: NumberBLock = {
    async numberBStatus(): Promise<SecretStatus> {
      state.statusReads++;
      if (state.verified) return { state: 'verified', triesLeft: null };
      return { state: state.triesLeft === 0 ? 'blocked' : 'ready', triesLeft: state.triesLeft };
    },
    async verifyNumberB(numberB) {
      state.verifies.push(numberB);
      if (numberB === secret) {
        state.verified = true;
        state.triesLeft = 10;
        return;
      }
      state.triesLeft--;
      throw new WrongPinError(state.triesLeft, 'verification number B');
    },
  };
  return { api, state };
}

/** Frames from a list, then the camera gives up (null). */
function frames(...reads: CardFrontRead[]): CardFrontSource & { taken: () => number } {
  let next = 0;
  const source = async () => reads[next++] ?? null;
  return Object.assign(source, { taken: () => next });
}

const withConfidence = (read: CardFrontRead, field: keyof CardFrontRead['confidence'], value: number) => ({
  ...read,
  confidence: { ...read.confidence, [field]: value },
});

async function refusal(promise: Promise<unknown>): Promise<OpticalReadRefusedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpticalReadRefusedError);
  return error as OpticalReadRefusedError;
}

const gate = (source: CardFrontSource, options = {}) =>
  numberBGate(source, { today: () => TODAY, ...options });

describe('the 照合番号B gate: frames', () => {
  it('sends the number once two frames read every field alike', async () => {
    const card = lock();
    const source = frames(GOOD, GOOD, GOOD);
    await gate(source).open('serial-1', card.api);
    expect(card.state.verifies).toEqual([NUMBER]);
    expect(source.taken()).toBe(2);
  });

  it('never sends one frame alone, however sure', async () => {
    const card = lock();
    expect((await refusal(gate(frames(GOOD)).open('s', card.api))).code).toBe('frames-disagree');
    expect(card.state.verifies).toEqual([]);
  });

  it('needs a run of frames alike in every field, not just the same number', async () => {
    // 平成10年 and 昭和10年 give the same 照合番号B: a frame that reads the other era still disagrees.
    const heisei = exactRead('1998-07-14', '2033-07-14', '4821');
    const showa = { ...heisei, birth: { ...heisei.birth, era: '昭和' as const } };
    const card = lock(10, '10071420334821');
    const source = frames(heisei, showa, heisei, heisei);
    await gate(source).open('s', card.api);
    expect(source.taken()).toBe(4);
    expect(card.state.verifies).toEqual(['10071420334821']);
  });

  it.each(['birth', 'validUntil', 'securityCode'] as const)(
    'ignores frames whose %s is below the confidence threshold',
    async (field) => {
      const unsure = withConfidence(GOOD, field, 0.89);
      const card = lock();
      const error = await refusal(gate(frames(unsure, unsure, unsure)).open('s', card.api));
      expect(error.code).toBe('low-confidence');
      expect(card.state.verifies).toEqual([]);
      // The threshold is the kiosk's to set.
      await gate(frames(unsure, unsure), { minConfidence: 0.85 }).open('s', card.api);
      expect(card.state.verifies).toEqual([NUMBER]);
    },
  );

  it('refuses confidence that is not a number from 0 to 1', async () => {
    const card = lock();
    const bad = withConfidence(GOOD, 'birth', Number.NaN);
    expect((await refusal(gate(frames(bad, bad)).open('s', card.api))).code).toBe('low-confidence');
  });

  it('gives the read check’s reason for frames that cannot be a real card', async () => {
    const outsideEra = { ...GOOD, birth: { era: '平成' as const, year: 31, month: 5, day: 1 } };
    const card = lock();
    const error = await refusal(gate(frames(outsideEra, outsideEra)).open('s', card.api));
    expect(error.code).toBe('birth-outside-era');
    expect(card.state.verifies).toEqual([]);
  });

  it('gives up after maxFrames, and says when there is no card-front reader at all', async () => {
    const card = lock();
    let n = 0;
    const alternating: CardFrontSource = async () => (n++ % 2 ? GOOD : MISREAD);
    expect((await refusal(gate(alternating, { maxFrames: 3 }).open('s', card.api))).code).toBe(
      'frames-disagree',
    );
    expect(n).toBe(3);
    // Skipped frames (too unsure) do not break a run.
    const unsure = withConfidence(MISREAD, 'securityCode', 0.5);
    await gate(frames(GOOD, unsure, GOOD)).open('s', card.api);
    expect(card.state.verifies).toEqual([NUMBER]);
    expect((await refusal(gate(async () => null).open('s', lock().api))).code).toBe('no-card-front-reader');
  });
});

describe('the 照合番号B gate: the card', () => {
  it('reads the tries left before the VERIFY, and refuses at the reserve or below', async () => {
    for (const [left, code] of [
      [4, null],
      [3, 'tries-low'],
      [1, 'tries-low'],
      [0, 'number-b-blocked'],
    ] as const) {
      const card = lock(left);
      const attempt = gate(frames(GOOD, GOOD)).open('s', card.api);
      if (code) expect((await refusal(attempt)).code).toBe(code);
      else await attempt;
      expect(card.state.statusReads).toBe(1);
      expect(card.state.verifies).toEqual(code ? [] : [NUMBER]);
    }
  });

  it('does not send the number again to a card already opened in this session', async () => {
    const card = lock();
    const g = gate(frames(GOOD, GOOD, GOOD, GOOD));
    await g.open('s', card.api);
    await g.open('s', card.api);
    expect(card.state.verifies).toEqual([NUMBER]);
  });

  it('refuses a card without 照合番号B', async () => {
    const api: NumberBLock = {
      numberBStatus: async () => ({ state: 'absent', triesLeft: null }),
      verifyNumberB: async () => expect.unreachable(),
    };
    expect((await refusal(gate(frames(GOOD, GOOD)).open('s', api))).code).toBe('no-number-b');
  });

  it('after one wrong number never tries that card again, and never retries on its own', async () => {
    const card = lock();
    const source = frames(MISREAD, MISREAD, GOOD, GOOD, GOOD, GOOD);
    const g = gate(source);
    const error = await refusal(g.open('card-a', card.api));
    expect(error.code).toBe('wrong-number-b');
    expect(error.cause).toBeInstanceOf(WrongPinError);
    expect(card.state.verifies).toHaveLength(1);
    expect(source.taken()).toBe(2);
    // The face path comes back (another visit, or a retry): refused before any frame or card traffic.
    expect((await refusal(g.open('card-a', card.api))).code).toBe('refused-for-this-card');
    expect(card.state.verifies).toHaveLength(1);
    expect(card.state.statusReads).toBe(1);
    expect(source.taken()).toBe(2);
    expect(card.state.triesLeft).toBe(9);
    // Another card is not affected.
    await g.open('card-b', lock().api);
  });

  it('counts a VERIFY lost on the way (card pulled) as spent', async () => {
    const api: NumberBLock = {
      numberBStatus: async () => ({ state: 'ready', triesLeft: 10 }),
      verifyNumberB: async () => {
        throw new Error('the card was removed');
      },
    };
    const g = gate(frames(GOOD, GOOD, GOOD, GOOD));
    expect((await refusal(g.open('s', api))).code).toBe('wrong-number-b');
    expect((await refusal(g.open('s', api))).code).toBe('refused-for-this-card');
  });

  it('keeps the number and the fields read out of every message', async () => {
    const messages: string[] = [];
    const collect = async (attempt: Promise<void>) => {
      const error = await refusal(attempt);
      messages.push(error.message, String(error.stack), JSON.stringify(error));
    };
    await collect(gate(frames(MISREAD, MISREAD)).open('s', lock().api));
    await collect(gate(frames(GOOD)).open('s', lock().api));
    await collect(gate(frames(GOOD, GOOD)).open('s', lock(2).api));
    for (const text of messages) {
      for (const secret of [NUMBER, '55021720352286', '2285', '2286', '550217'])
        expect(text).not.toContain(secret);
    }
  });

  it('wants at least two frames to agree', () => {
    expect(() => numberBGate(frames(), { framesToAgree: 1 })).toThrow(RangeError);
  });
});

describe('the 照合番号B gate: reading while the card lies on the tray', () => {
  it('reads the front at placement and sends nothing until 顔認証 opens the card', async () => {
    const card = lock();
    const source = frames(GOOD, GOOD, GOOD, GOOD);
    const g = gate(source);
    const early = g.readEarly();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(source.taken()).toBe(2);
    expect(card.state.verifies).toEqual([]);
    await g.open('serial-1', card.api, early);
    // The early frames are used: none read after the choice, one VERIFY.
    expect(source.taken()).toBe(2);
    expect(card.state.verifies).toEqual([NUMBER]);
  });

  it('reads afresh when the early read found nothing (the card turned over since)', async () => {
    const card = lock();
    const back = { problem: 'card-back' } as const;
    let turned = false;
    const source: CardFrontSource = async () => (turned ? GOOD : back);
    const g = gate(source, { maxFrames: 3 });
    const early = g.readEarly();
    await new Promise((resolve) => setTimeout(resolve, 0));
    turned = true;
    await g.open('serial-1', card.api, early);
    expect(card.state.verifies).toEqual([NUMBER]);
  });

  it('stops reading when the card is taken away, and still checks the card before any VERIFY', async () => {
    let taken = 0;
    const source: CardFrontSource = async () => {
      taken++;
      return GOOD;
    };
    const g = gate(source, { framesToAgree: 5 });
    const early = g.readEarly();
    early.cancel();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(taken).toBeLessThanOrEqual(1);
    // A card at its reserve is refused whatever the early read found.
    const low = lock(3);
    expect((await refusal(g.open('serial-2', low.api, g.readEarly()))).code).toBe('tries-low');
    expect(low.state.verifies).toEqual([]);
  });
});
