import type { CardConnection } from '../connection.ts';
import { type CardError, CardRemovedError, TransportError } from '../errors.ts';
import type { CardReader } from './binding.ts';
import { connectError, isCardRemoval, scardMessage } from './scard-errors.ts';

/** Room for an extended-length response: 65536 data bytes and the status word. */
const RESPONSE_CAPACITY = 65_536 + 2;

/**
 * How long a failed exchange waits for the reader to report the card gone before calling it a
 * transport failure: vpcd (like pcscd's polling of any reader without interrupt) notices a missing
 * card on its next 400 ms poll, and a card pulled mid-command first shows up as an empty response
 * or SCARD_E_NOT_TRANSACTED, not as a removal.
 */
const REMOVAL_SETTLE_MS = 1_000;

/** What a connection needs from the reader list: whether the card left the reader. */
export interface CardPresence {
  /** Resolves true as soon as the reader reports no card, false after `withinMs` otherwise. */
  cardLeft(withinMs: number): Promise<boolean>;
}

export class PcscConnection implements CardConnection {
  /**
   * Measured with pcscd 1.9.9 and vsmartcard-vpcd 0.8: extended APDUs pass both ways untouched
   * (`00 B0 00 00 00 00 00` reached the card as 7 bytes, a 3 007-byte extended-Lc command went
   * through, a 65 535-byte response came back). vpcd frames with a 2-byte length, so a response
   * is capped at 65 535 bytes (65 533 data bytes): enough for every My Number card file.
   */
  readonly extendedLength = true;
  private closed = false;

  private constructor(
    private readonly reader: CardReader,
    private readonly protocol: number,
    readonly atr: Uint8Array,
    private readonly presence: CardPresence,
    private readonly onClose: () => void,
  ) {}

  /** Opens the card exclusively: nobody else can send APDUs in the middle of a session. */
  static open(
    reader: CardReader,
    atr: Uint8Array,
    presence: CardPresence,
    onClose: () => void,
  ): Promise<PcscConnection> {
    const options = {
      share_mode: reader.SCARD_SHARE_EXCLUSIVE,
      protocol: reader.SCARD_PROTOCOL_T1 | reader.SCARD_PROTOCOL_T0,
    };
    return new Promise((resolve, reject) => {
      reader.connect(options, (err, protocol) => {
        if (err) reject(connectError(err, reader.name));
        else resolve(new PcscConnection(reader, protocol, atr, presence, onClose));
      });
    });
  }

  get readerName(): string {
    return this.reader.name;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.closed) throw new TransportError(`the connection to "${this.readerName}" is closed`);
    let response: Buffer;
    try {
      response = await new Promise<Buffer>((resolve, reject) => {
        this.reader.transmit(Buffer.from(command), RESPONSE_CAPACITY, this.protocol, (err, data) =>
          err ? reject(err) : resolve(data),
        );
      });
    } catch (err) {
      throw await this.failure(err);
    }
    // vpcd answers a command the card never answered with an empty response, not with an error.
    if (response.length < 2) throw await this.failure(new Error(`response of ${response.length} bytes`));
    return new Uint8Array(response);
  }

  /** Resets the card on release so a verified PIN does not outlive the session. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => {
      // A failed disconnect (card already gone) leaves nothing for us to release.
      this.reader.disconnect(this.reader.SCARD_RESET_CARD, () => resolve());
    });
    this.onClose();
  }

  private async failure(err: unknown): Promise<CardError> {
    if (isCardRemoval(err) || (await this.presence.cardLeft(REMOVAL_SETTLE_MS))) {
      return new CardRemovedError({ cause: err });
    }
    return new TransportError(scardMessage(err), { cause: err });
  }
}
