/** A CardConnection straight onto an ApduResponder: the whole card stack without pcscd. */
import type { ApduResponder, CardConnection } from '@myna/card/connection.js';
import { CardRemovedError, TransportError } from '@myna/card/errors.js';
import { SimulatedRemoval } from './faults.ts';

export interface InProcessOptions {
  readonly readerName?: string;
  /** Defaults to the card's own `extendedLength` (true when it has none). */
  readonly extendedLength?: boolean;
}

export class InProcessConnection implements CardConnection {
  readonly readerName: string;
  readonly extendedLength: boolean;
  private present = true;
  private closed = false;

  constructor(
    private readonly card: ApduResponder & { readonly extendedLength?: boolean },
    options: InProcessOptions = {},
  ) {
    this.readerName = options.readerName ?? 'Virtual card (in-process)';
    this.extendedLength = options.extendedLength ?? card.extendedLength ?? true;
    card.reset();
  }

  get atr(): Uint8Array {
    return this.card.atr;
  }

  get inserted(): boolean {
    return this.present;
  }

  remove(): void {
    this.present = false;
  }

  /** Puts the card back: a fresh power-on, so selections and security status are gone. */
  insert(): void {
    this.card.reset();
    this.present = true;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    // Answer on a later tick, like any real transport, so callers cannot depend on synchronous replies.
    await Promise.resolve();
    if (this.closed) throw new TransportError('the connection is closed');
    if (!this.present) throw new CardRemovedError();
    try {
      return this.card.process(command);
    } catch (error) {
      if (!(error instanceof SimulatedRemoval))
        throw new TransportError('the virtual card failed', { cause: error });
      this.present = false;
      throw new CardRemovedError({ cause: error });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
