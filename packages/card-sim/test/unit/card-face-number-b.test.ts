/**
 * The card-face application's 照合番号B through the card layer on the virtual card: its tries left
 * can be read (an empty VERIFY, 63Cx) as often as needed without spending one, which is what lets
 * the kiosk check them before every optical VERIFY.
 */

import { WrongPinError } from '@myna/card/errors.js';
import { MyNumberCard } from '@myna/card/my-number-card.js';
import { verificationNumberB } from '@myna/card/verification-number.js';
import { describe, expect, it } from 'vitest';
import { InProcessConnection } from '../../src/in-process-connection.ts';
import { peopleFile } from '../../src/people.ts';
import { loadPerson } from '../../src/person.ts';
import { card } from './card-helpers.ts';

const person = loadPerson(peopleFile('middle-aged'));
const NUMBER_B = verificationNumberB(person.birthDate, person.cardExpiry, person.securityCode);

async function session(tries?: number) {
  const virtual = card('middle-aged', tries === undefined ? {} : { verificationTries: tries });
  const mnc = await MyNumberCard.recognise(new InProcessConnection(virtual));
  return { virtual, face: await mnc.cardFace() };
}

describe('CardFaceSession.numberBStatus', () => {
  it('reads the tries left without spending one', async () => {
    const { virtual, face } = await session();
    expect(await face.numberBStatus()).toEqual({ state: 'ready', triesLeft: 10 });
    expect(await face.numberBStatus()).toEqual({ state: 'ready', triesLeft: 10 });
    expect(virtual.triesLeft['cardFace.verificationB']).toBe(10);
  });

  it('follows a wrong VERIFY, and says verified after the right one', async () => {
    const { virtual, face } = await session();
    const wrong = `${NUMBER_B.slice(0, -1)}${NUMBER_B.endsWith('0') ? '1' : '0'}`;
    await expect(face.verifyNumberB(wrong)).rejects.toBeInstanceOf(WrongPinError);
    expect(await face.numberBStatus()).toEqual({ state: 'ready', triesLeft: 9 });
    expect(virtual.triesLeft['cardFace.verificationB']).toBe(9);
    await face.verifyNumberB(NUMBER_B);
    expect(await face.numberBStatus()).toEqual({ state: 'verified', triesLeft: null });
  });

  it('says blocked once the last try is spent', async () => {
    const { face } = await session(1);
    await expect(face.verifyNumberB('00000000000000')).rejects.toThrow('blocked');
    expect(await face.numberBStatus()).toEqual({ state: 'blocked', triesLeft: 0 });
  });
});
