/**
 * Where the kiosk's card comes from: a PC/SC reader (the field, and the demo's virtual card behind
 * pcscd + vpcd), or the in-process virtual card where pcscd cannot run. Either way the kiosk hears
 * "placed" and "taken away" and gets a card slot for the reception flow.
 */
import type { CardConnection } from '@myna/card/connection.js';
import { PcscReaders } from '@myna/card/pcsc/readers.js';
import { myNumberCardSlot } from '../reception/my-number-card-slot.ts';
import type { CardSlot } from '../reception/ports.ts';

export interface CardSource {
  slot: CardSlot;
  /** Calls back on every card placed (true) or taken away (false). */
  onPresence(listener: (present: boolean) => void): void;
  close(): Promise<void>;
}

/** 照合番号B as the reader's card-face OCR read it; null where the hardware has none. */
export type VerificationNumberSource = () => Promise<string | null>;

/**
 * Follows the first reader a card is placed on: a counter has one reader, and naming it in the
 * config would only be one more thing for clinic IT to get wrong.
 */
export async function pcscCardSource(
  verificationNumberB: VerificationNumberSource,
  readerName?: string,
): Promise<CardSource> {
  const readers = await PcscReaders.open();
  let active: string | null = readerName ?? null;
  const listeners: ((present: boolean) => void)[] = [];
  readers.on('card-inserted', ({ reader }) => {
    if (readerName && reader !== readerName) return;
    active = reader;
    for (const listener of listeners) listener(true);
  });
  readers.on('card-removed', ({ reader }) => {
    if (reader !== active) return;
    for (const listener of listeners) listener(false);
  });
  return {
    slot: slotFor(() => {
      if (!active) throw new Error('no card has been placed on a reader');
      return readers.connect(active);
    }, verificationNumberB),
    onPresence: (listener) => void listeners.push(listener),
    close: () => readers.close(),
  };
}

export function slotFor(
  connect: () => Promise<CardConnection>,
  verificationNumberB: VerificationNumberSource,
): CardSlot {
  return myNumberCardSlot({
    connect,
    async verificationNumberB() {
      const number = await verificationNumberB();
      // Without the optical read the card-face application stays shut: the face path falls back to the PIN.
      if (!number) throw new Error('this reader has no card-face OCR: the face photo cannot be opened');
      return number;
    },
  });
}
