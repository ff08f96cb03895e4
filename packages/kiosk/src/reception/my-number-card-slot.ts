/**
 * The reception flow's view of a real (or virtual) My Number card: one card session per visit,
 * opened on the connection the reader gives, with the card layer's typed errors turned into the
 * outcomes the flow knows (a wrong PIN is an answer, not a failure).
 */
import type { CardConnection } from '@myna/card/connection.js';
import { PinBlockedError, WrongPinError } from '@myna/card/errors.js';
import { MyNumberCard } from '@myna/card/my-number-card.js';
import {
  type CardFrontSource,
  type EarlyRead,
  type NumberBGate,
  type NumberBGateOptions,
  numberBGate,
} from '../card-front/number-b-gate.ts';
import type { PinOutcome } from './flow-types.ts';
import type { CardSlot, PlacedCard } from './ports.ts';

export interface CardSlotOptions {
  /** Connects to the card now on the reader. */
  connect(): Promise<CardConnection>;
  /**
   * The card front as the reader sees it, frame by frame (birth date, validity, security code):
   * through the gate it gives 照合番号B, which opens the card-face application holding the photo.
   */
  cardFront: CardFrontSource;
  gate?: NumberBGateOptions;
}

export function myNumberCardSlot(options: CardSlotOptions): CardSlot {
  // One gate per slot, so a card refused once stays refused when it is placed again.
  const gate = numberBGate(options.cardFront, options.gate);
  return {
    async open() {
      const connection = await options.connect();
      try {
        return placedCard(connection, await MyNumberCard.recognise(connection), gate);
      } catch (error) {
        await connection.close();
        throw error;
      }
    },
  };
}

function placedCard(connection: CardConnection, card: MyNumberCard, gate: NumberBGate): PlacedCard {
  // The card front is read while the patient is still choosing how to confirm: 顔認証 then
  // starts without waiting for it. The first face attempt takes it; a later one reads afresh.
  let early: EarlyRead | undefined = gate.readEarly();
  let read: Promise<{ der: Uint8Array; serialNumber: string }> | null = null;
  const certificate = () => {
    read ??= card.jpki.authCertificate().then((c) => ({ der: c.der, serialNumber: c.summary.serialNumber }));
    return read;
  };
  return {
    certificate,
    async pinStatus() {
      const status = await card.jpki.authPinStatus();
      return { pinless: status.state === 'absent', triesLeft: status.triesLeft };
    },
    async verifyPin(pin): Promise<PinOutcome> {
      try {
        await card.jpki.verifyAuthPin(pin);
        return { result: 'ok' };
      } catch (error) {
        if (error instanceof WrongPinError) return { result: 'wrong', triesLeft: error.triesLeft };
        if (error instanceof PinBlockedError) return { result: 'blocked' };
        throw error;
      }
    },
    signSha256: (message) => card.jpki.signSha256(message),
    async facePhoto() {
      const { serialNumber } = await certificate();
      const session = await card.cardFace();
      // A refusal (OpticalReadRefusedError) says why: the patient places the card again, or uses the PIN.
      const first = early;
      early = undefined;
      await gate.open(serialNumber, session, first);
      return (await session.face()).photo;
    },
    release: () => {
      early?.cancel();
      return connection.close();
    },
  };
}
