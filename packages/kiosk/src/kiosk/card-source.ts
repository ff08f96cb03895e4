/**
 * Where the kiosk's card comes from: a PC/SC reader (the field, and the demo's virtual card behind
 * pcscd + vpcd), or the in-process virtual card where pcscd cannot run. Either way the kiosk hears
 * "placed" and "taken away" and gets a card slot for the reception flow.
 */
import type { CardConnection } from '@myna/card/connection.js';
import { PcscReaders } from '@myna/card/pcsc/readers.js';
import type { CardFrontSource } from '../card-front/number-b-gate.ts';
import { myNumberCardSlot } from '../reception/my-number-card-slot.ts';
import type { CardSlot } from '../reception/ports.ts';

export interface CardSource {
  slot: CardSlot;
  /** Calls back on every card placed (true) or taken away (false). */
  onPresence(listener: (present: boolean) => void): void;
  close(): Promise<void>;
}

/**
 * Follows the first reader a card is placed on: a counter has one reader, and naming it in the
 * config would only be one more thing for clinic IT to get wrong.
 */
export async function pcscCardSource(cardFront: CardFrontSource, readerName?: string): Promise<CardSource> {
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
    }, cardFront),
    onPresence: (listener) => void listeners.push(listener),
    close: () => readers.close(),
  };
}

/** Without a card-front reader (`async () => null`) the photo stays shut and 顔認証 falls back to the PIN. */
export function slotFor(connect: () => Promise<CardConnection>, cardFront: CardFrontSource): CardSlot {
  return myNumberCardSlot({ connect, cardFront });
}
