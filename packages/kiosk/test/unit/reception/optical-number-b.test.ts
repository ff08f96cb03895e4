/**
 * The face path on the virtual card (in-process, the whole card layer): a card-front read that
 * passes the gate but is wrong reaches the card exactly once, then the flow offers the PIN and no
 * later face attempt, in this visit or the next, sends anything to the card again. A card front
 * the patient can fix (the back side up) brings the face screen back with the reason; a refusal
 * that protects the card offers the PIN at once.
 */
import { type CardFrontRead, exactRead } from '@myna/card/card-front-read.js';
import type { ApduResponder } from '@myna/card/connection.js';
import { WrongPinError } from '@myna/card/errors.js';
import { MyNumberCard } from '@myna/card/my-number-card.js';
import { INS } from '@myna/card/spec.js';
import { virtualCardFor } from '@myna/card-sim/card-factory.js';
import { InProcessConnection } from '@myna/card-sim/in-process-connection.js';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson } from '@myna/card-sim/person.js';
import type { VirtualMyNumberCard } from '@myna/card-sim/virtual-card.js';
import { describe, expect, it } from 'vitest';
import { type AnyActorRef, waitFor } from 'xstate';
import type { CardFrontSource } from '../../../src/card-front/number-b-gate.ts';
import type { FlowContext } from '../../../src/reception/flow-machine.ts';
import { myNumberCardSlot } from '../../../src/reception/my-number-card-slot.ts';
import type { FaceCheckResult } from '../../../src/reception/ports.ts';
import { startReception } from '../../../src/reception/reception.ts';
import { viewOf } from '../../../src/reception/view-state.ts';

const TODAY = '2026-11-24';
const person = loadPerson(peopleFile('middle-aged'));
const RIGHT = exactRead(person.birthDate, person.cardExpiry, person.securityCode);
// One digit of the security code misread, the same way in every frame: the gate cannot tell.
const WRONG: CardFrontRead = { ...RIGHT, securityCode: person.securityCode === '0000' ? '0001' : '0000' };
const NUMBER_B_DIGITS = 14;
/** Frames the gate looks at per face attempt. */
const FRAMES_PER_TRY = 4;

/** The virtual card with every 照合番号B VERIFY (a VERIFY carrying 14 bytes) recorded. */
function watchedCard(card: VirtualMyNumberCard) {
  const numbersB: string[] = [];
  const responder: ApduResponder & { extendedLength: boolean } = {
    atr: card.atr,
    extendedLength: card.extendedLength,
    reset: () => card.reset(),
    process(command) {
      if (command[1] === INS.verify && command[4] === NUMBER_B_DIGITS) {
        numbersB.push(Buffer.from(command.subarray(5, 5 + NUMBER_B_DIGITS)).toString('ascii'));
      }
      return card.process(command);
    },
  };
  return { responder, numbersB };
}

interface Audited {
  kind: string;
  outcome: string;
  data?: Record<string, unknown>;
}

function kiosk(cardFront: CardFrontSource, card = virtualCardFor(person)) {
  const watched = watchedCard(card);
  const photos: Uint8Array[] = [];
  const audits: Audited[] = [];
  // The face never matches: the flow tries the face again, then offers the PIN.
  const rejected: FaceCheckResult = {
    decision: 'reject',
    score: 0.7,
    threshold: 0.5,
    calibratedFar: 0.001,
    reasons: ['face-mismatch'],
    liveness: { passed: true, challenge: 'blink' },
  };
  const unused = async (): Promise<never> => {
    throw new Error('not reached in these tests');
  };
  const actor = startReception(
    {
      slot: myNumberCardSlot({
        connect: async () => new InProcessConnection(watched.responder),
        cardFront,
        gate: { today: () => TODAY, maxFrames: FRAMES_PER_TRY },
      }),
      face: {
        async check(photo) {
          photos.push(photo.slice());
          return rejected;
        },
      },
      upstream: { nonce: unused, verify: unused },
      attestor: { keyId: 'k', certificatePem: null, sign: unused },
      recorder: {
        cardRef: (serial) => serial,
        audit: ({ kind, outcome, data }) => void audits.push({ kind, outcome, data }),
        keepConsents: () => {},
        keepRegistration: () => {},
        publishResult: unused,
      },
      kioskId: 'kiosk-test',
      medicalInstitutionCode: '1312345678',
    },
    { today: TODAY },
  );
  return { actor, card, numbersB: watched.numbersB, photos, audits };
}

const at = (actor: AnyActorRef, state: string | object) =>
  waitFor(actor, (s) => s.matches(state), { timeout: 5_000 });
const context = (actor: AnyActorRef) => actor.getSnapshot().context as FlowContext;
const cardFrontAudits = (audits: Audited[]) => audits.filter((event) => event.kind === 'card.front');

async function chooseFace(actor: AnyActorRef) {
  actor.send({ type: 'CARD_INSERTED', today: TODAY });
  await at(actor, 'methodChoice');
  actor.send({ type: 'CHOOSE_FACE' });
}

describe('the face path with an optical 照合番号B', () => {
  it('a wrong read reaches the card once; then the PIN, and the optical read is never used again for that card', async () => {
    const k = kiosk(async () => WRONG);
    await chooseFace(k.actor);
    await at(k.actor, { pin: 'entry' });
    expect(context(k.actor).stop).toBe('face-failed');
    expect(k.numbersB).toHaveLength(1);
    expect(k.card.triesLeft['cardFace.verificationB']).toBe(9);

    // Back to the choice and 顔認証 again: the PIN again, nothing sent.
    k.actor.send({ type: 'CANCEL' });
    await at(k.actor, 'methodChoice');
    k.actor.send({ type: 'CHOOSE_FACE' });
    await at(k.actor, { pin: 'entry' });

    // The card taken and placed again (a new visit, a new card session): still nothing sent.
    k.actor.send({ type: 'CARD_REMOVED' });
    await at(k.actor, 'idle');
    await chooseFace(k.actor);
    await at(k.actor, { pin: 'entry' });

    expect(k.numbersB).toHaveLength(1);
    expect(k.card.triesLeft['cardFace.verificationB']).toBe(9);
    expect(k.photos).toEqual([]);
    // The audit names what happened without the number.
    expect(JSON.stringify(k.audits)).not.toContain(k.numbersB[0]);
    expect(cardFrontAudits(k.audits)).toEqual([
      { kind: 'card.front', outcome: 'refused', data: { code: 'wrong-number-b' } },
      { kind: 'card.front', outcome: 'refused', data: { code: 'refused-for-this-card' } },
      { kind: 'card.front', outcome: 'refused', data: { code: 'refused-for-this-card' } },
    ]);
  });

  it('a right read opens the photo with one VERIFY; the face tries after it send nothing more', async () => {
    const k = kiosk(async () => RIGHT);
    await chooseFace(k.actor);
    await at(k.actor, { pin: 'entry' });
    expect(k.photos.length).toBeGreaterThanOrEqual(2);
    for (const photo of k.photos) expect(Buffer.from(photo).equals(Buffer.from(person.photoJp2))).toBe(true);
    expect(k.numbersB).toHaveLength(1);
    expect(k.card.triesLeft['cardFace.verificationB']).toBe(10);
  });

  it('a card with its back up brings the face screen back saying so; turned over, it is read and opened', async () => {
    let turned = false;
    const turnOver = () => {
      turned = true;
    };
    // Every frame sees the back (the early read at placement, then the first attempt's own
    // frames) until the patient turns the card over.
    const k = kiosk(async () => (turned ? RIGHT : { problem: 'card-back' }));
    await chooseFace(k.actor);
    const again = await waitFor(k.actor, (s) => s.matches('face') && s.context.faceTries === 2, {
      timeout: 5_000,
    });
    const view = viewOf(again);
    expect(view.screen).toBe('face');
    expect(view.faceReasons).toEqual(['card-front-back']);
    // The code alone: nothing read from the card goes into the record.
    expect(cardFrontAudits(k.audits)).toEqual([
      { kind: 'card.front', outcome: 'place-again', data: { code: 'card-back' } },
    ]);
    expect(k.audits.map((event) => event.kind)).not.toContain('face.match');
    expect(k.numbersB).toEqual([]);

    turnOver();
    await at(k.actor, { pin: 'entry' });
    // The face itself did not match (this kiosk's face check never does): the PIN, as for any face.
    expect(context(k.actor).stop).toBe('face-failed');
    expect(k.photos).toHaveLength(1);
    expect(k.numbersB).toHaveLength(1);
    expect(k.card.triesLeft['cardFace.verificationB']).toBe(10);
    expect(cardFrontAudits(k.audits)).toHaveLength(1);
  });

  it('a card with 3 tries left is not read optically: the PIN at once, and nothing sent to the card', async () => {
    const card = virtualCardFor(person);
    await spendNumberBTries(card, 7);
    const k = kiosk(async () => RIGHT, card);
    await chooseFace(k.actor);
    await at(k.actor, { pin: 'entry' });
    expect(context(k.actor).stop).toBe('face-failed');
    expect(context(k.actor).faceTries).toBe(1);
    expect(cardFrontAudits(k.audits)).toEqual([
      { kind: 'card.front', outcome: 'refused', data: { code: 'tries-low' } },
    ]);
    expect(k.numbersB).toEqual([]);
    expect(k.photos).toEqual([]);
    expect(card.triesLeft['cardFace.verificationB']).toBe(3);
  });
});

/** Wrong 照合番号B sent straight to the card, as other readers may have done before this kiosk. */
async function spendNumberBTries(card: VirtualMyNumberCard, tries: number): Promise<void> {
  const connection = new InProcessConnection(card);
  try {
    const session = await (await MyNumberCard.recognise(connection)).cardFace();
    for (let i = 0; i < tries; i++) {
      await expect(session.verifyNumberB('0'.repeat(NUMBER_B_DIGITS))).rejects.toBeInstanceOf(WrongPinError);
    }
  } finally {
    await connection.close();
  }
}
