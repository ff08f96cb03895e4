import type { CardConnection } from '../card/connection.ts';
import { InvalidInputError } from '../card/errors.ts';
import { MyNumberCard } from '../card/my-number-card.ts';
import { PcscReaders } from '../card/pcsc/readers.ts';
import { virtualCardFor } from '../card/sim/card-factory.ts';
import { InProcessConnection } from '../card/sim/in-process-connection.ts';

export interface CardAccessOptions {
  reader?: string;
  /** Seconds to wait for a card to be placed. */
  wait?: string;
  /** A person file: use the in-process virtual card instead of PC/SC. */
  virtualCard?: string;
}

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
  use: (card: MyNumberCard, connection: CardConnection) => Promise<T>,
): Promise<T> {
  const timeoutMs = waitMs(options.wait);
  if (options.virtualCard) {
    const connection = new InProcessConnection(virtualCardFor(options.virtualCard));
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
