import { CardFaceSession } from './apps/card-face.ts';
import { JpkiSession } from './apps/jpki.ts';
import { TextInfoSession } from './apps/text-info.ts';
import type { CardConnection } from './connection.ts';
import { CardError, NotMyNumberCardError, TransportError } from './errors.ts';
import { ApduProtocol } from './protocol.ts';

/**
 * A card that answered SELECT of the JPKI application. The ATR is not trusted for this: other
 * Japanese cards (the driving licence) have almost the same one.
 */
export class MyNumberCard {
  private constructor(
    readonly protocol: ApduProtocol,
    readonly jpki: JpkiSession,
  ) {}

  static async recognise(connection: CardConnection): Promise<MyNumberCard> {
    const protocol = new ApduProtocol(connection);
    try {
      return new MyNumberCard(protocol, await JpkiSession.open(protocol));
    } catch (error) {
      // Removal and reader failures keep their own meaning; any answer from the card that is not
      // a successful SELECT means the card is something else.
      if (error instanceof CardError && error.code !== 'card-removed' && error.code !== 'transport') {
        throw new NotMyNumberCardError();
      }
      if (error instanceof CardError) throw error;
      throw new TransportError('unexpected failure while selecting the JPKI application', { cause: error });
    }
  }

  textInfo(): Promise<TextInfoSession> {
    return TextInfoSession.open(this.protocol);
  }

  cardFace(): Promise<CardFaceSession> {
    return CardFaceSession.open(this.protocol);
  }
}
