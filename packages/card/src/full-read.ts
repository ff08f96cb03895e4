import type { CardFace } from './apps/card-face.ts';
import type { CardCertificate } from './apps/jpki.ts';
import type { BasicFour } from './apps/text-info.ts';
import type { MyNumberCard } from './my-number-card.ts';

export interface FullRead {
  certificate: CardCertificate;
  myNumber: string;
  basicFour: BasicFour;
  face: CardFace;
}

/**
 * Everything the kiosk can read from one card: the user-authentication certificate, the My Number
 * and basic four (card-info PIN), and the card face with its photo (照合番号B). The demo, the
 * benchmark and the card-pulled tests all read exactly this.
 */
export async function readCardFully(
  card: MyNumberCard,
  secrets: { pin: string; numberB: string },
): Promise<FullRead> {
  const certificate = await card.jpki.authCertificate();
  const textInfo = await card.textInfo();
  await textInfo.verifyPin(secrets.pin);
  const myNumber = await textInfo.myNumber();
  const basicFour = await textInfo.basicFour();
  const cardFace = await card.cardFace();
  await cardFace.verifyNumberB(secrets.numberB);
  const face = await cardFace.face();
  return { certificate, myNumber, basicFour, face };
}
