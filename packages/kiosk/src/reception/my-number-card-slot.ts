/**
 * The reception flow's view of a real (or virtual) My Number card: one card session per visit,
 * opened on the connection the reader gives, with the card layer's typed errors turned into the
 * outcomes the flow knows (a wrong PIN is an answer, not a failure).
 */
import type { CardConnection } from '@myna/card/connection.js';
import { PinBlockedError, WrongPinError } from '@myna/card/errors.js';
import { MyNumberCard } from '@myna/card/my-number-card.js';
import type { PinOutcome } from './flow-types.ts';
import type { CardSlot, PlacedCard } from './ports.ts';

export interface CardSlotOptions {
  /** Connects to the card now on the reader. */
  connect(): Promise<CardConnection>;
  /**
   * 照合番号B as the vendor's hardware read it from the card face (OCR of birth date, expiry and
   * security code). It opens the card-face application whose photo the face check needs.
   */
  verificationNumberB(): Promise<string>;
}

export function myNumberCardSlot(options: CardSlotOptions): CardSlot {
  return {
    async open() {
      const connection = await options.connect();
      try {
        return placedCard(connection, await MyNumberCard.recognise(connection), options);
      } catch (error) {
        await connection.close();
        throw error;
      }
    },
  };
}

function placedCard(connection: CardConnection, card: MyNumberCard, options: CardSlotOptions): PlacedCard {
  let certificate: Promise<{ der: Uint8Array; serialNumber: string }> | null = null;
  return {
    certificate() {
      certificate ??= card.jpki
        .authCertificate()
        .then((c) => ({ der: c.der, serialNumber: c.summary.serialNumber }));
      return certificate;
    },
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
      const session = await card.cardFace();
      await session.verifyNumberB(await options.verificationNumberB());
      return (await session.face()).photo;
    },
    release: () => connection.close(),
  };
}
