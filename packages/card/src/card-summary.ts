import type { SecretStatus } from './apps/secret.ts';
import type { CertificateSummary } from './certificate-summary.ts';
import type { CardConnection } from './connection.ts';
import type { MyNumberCard } from './my-number-card.ts';

/** What can be learnt from a card without any PIN and without consuming a try. */
export interface CardSummary {
  reader: string;
  atr: string;
  kind: 'my-number-card';
  tokenLabel: string;
  /** A 顔認証マイナンバーカード: no PINs; only a face match or staff can verify its holder. */
  pinless: boolean;
  certificate: CertificateSummary;
  pin: { authentication: SecretStatus; cardInfo: SecretStatus };
}

export async function summarizeCard(
  connection: CardConnection,
  card: MyNumberCard,
  now = new Date(),
): Promise<CardSummary> {
  const certificate = (await card.jpki.authCertificate(now)).summary;
  const tokenLabel = await card.jpki.tokenLabel();
  const authentication = await card.jpki.authPinStatus();
  const cardInfo = await (await card.textInfo()).pinStatus();
  return {
    reader: connection.readerName,
    atr: Buffer.from(connection.atr).toString('hex').toUpperCase(),
    kind: 'my-number-card',
    tokenLabel,
    pinless: authentication.state === 'absent',
    certificate,
    pin: { authentication, cardInfo },
  };
}
