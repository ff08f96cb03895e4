/**
 * What seeding needs of the cards the population carries, handed in by whoever issued them (the
 * testbed builds it from the virtual cards' PKI and person files): the upstream reads no card
 * simulator's files of its own.
 */
import type { CertificateInput } from '../verify/trust.ts';

/** A person's card as the seed reads it: the card face's identity and the authentication certificate. */
export interface SeedCard {
  /** Family and given name separated by one U+3000, as on the card face. */
  readonly name: string;
  readonly address: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  /** JIS X 0303: 1 male, 2 female, 9 not applicable, 0 unknown. */
  readonly sex: string;
  /** DER of the card's user-authentication certificate: its serial links the person to the card. */
  readonly authCertificateDer: Uint8Array;
}

export interface SeedCards {
  /** The card of a person of the population, by the person's `fixtureId` (seed/population.ts). */
  cardOf(fixtureId: string): SeedCard;
}

/** The population's cards and the CA they chain to, which names the issuer of every link. */
export interface PopulationCards {
  /** The JPKI user-authentication CA: the upstream's card trust anchor. */
  readonly cardCa: CertificateInput;
  readonly seedCards: SeedCards;
}
