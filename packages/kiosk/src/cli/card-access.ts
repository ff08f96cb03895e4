import type { CardConnection } from '@myna/card/connection.js';
import { InvalidInputError } from '@myna/card/errors.js';
import { MyNumberCard } from '@myna/card/my-number-card.js';
import { PcscReaders } from '@myna/card/pcsc/readers.js';

export interface CardAccessOptions {
  reader?: string;
  /** Seconds to wait for a card to be placed. */
  wait?: string;
  /** A person file: use the in-process virtual card instead of PC/SC (needs `virtualCards`). */
  virtualCard?: string;
}

/** Opens an in-process virtual card from a person file: the testbed's, never the field kiosk's. */
export type VirtualCards = (personFile: string) => CardConnection;

function waitMs(wait: string | undefined): number {
  const seconds = Number(wait ?? '0');
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new InvalidInputError('--wait takes a number of seconds');
  return seconds * 1000;
}

/**
 * Opens the card the options name, recognises it as a My Number card, runs `use`, and always
 * releases the reader (and the PC/SC context) afterwards, whatever happened.
 */
export async function withMyNumberCard<T>(
  options: CardAccessOptions,
  virtualCards: VirtualCards | undefined,
  use: (card: MyNumberCard, connection: CardConnection) => Promise<T>,
): Promise<T> {
  const timeoutMs = waitMs(options.wait);
  if (options.virtualCard !== undefined) {
    if (!virtualCards) throw new InvalidInputError('--virtual-card is a development option of kiosk-dev');
    const connection = virtualCards(options.virtualCard);
    try {
      return await use(await MyNumberCard.recognise(connection), connection);
    } finally {
      await connection.close();
    }
  }
  const readers = await PcscReaders.open();
  try {
    const reader = await readers.waitForCard({ reader: options.reader, timeoutMs });
    const connection = await readers.connect(reader);
    try {
      return await use(await MyNumberCard.recognise(connection), connection);
    } finally {
      await connection.close();
    }
  } finally {
    await readers.close();
  }
}
