/**
 * The lowest layer: one open channel to one card. PC/SC, the vpcd-backed virtual card (through
 * pcscd) and the in-process virtual card all look like this to the APDU protocol above.
 */
export interface CardConnection {
  readonly readerName: string;
  readonly atr: Uint8Array;
  /** Whether the reader path is known to carry extended-length APDUs (Le up to 65536). */
  readonly extendedLength: boolean;
  /**
   * Sends one command APDU and returns the whole response, status word included.
   * Throws CardRemovedError when the card left the reader, TransportError for any other failure.
   */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /** Releases the card (and the exclusive lock on it). Safe to call twice. */
  close(): Promise<void>;
}

/** Something that answers APDUs synchronously: the virtual card, in-process or behind vpcd. */
export interface ApduResponder {
  readonly atr: Uint8Array;
  /** Called on power-on and reset: clears selections and security status. */
  reset(): void;
  process(command: Uint8Array): Uint8Array;
}
