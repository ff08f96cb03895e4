/** What the upstream keeps, as the application sees it (the tables' snake_case stays in the store). */

import type { ConsentItem } from '@myna/protocol/consent-items.js';

export interface Insurer {
  insurerNumber: string;
  name: string;
  checkupDataRegistered: boolean;
  checkupRegisteredOn: string | null;
}

export interface InsuredPerson {
  personRef: string;
  fixtureId: string;
  insurerNumber: string;
  /** From insurers: the name printed on the card. */
  insurerName: string;
  /** 被保険者証区分, 01–07. */
  cardClassification: string;
  cardSymbol: string | null;
  cardNumber: string;
  cardBranch: string | null;
  personalFamily: string;
  name: string;
  nameKana: string;
  /** As on the card: 1 male, 2 female, 9 not applicable, 0 unknown. */
  sex: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  address: string | null;
  postNumber: string | null;
  contributionRatio: string;
  qualifiedFrom: string;
  qualifiedUntil: string | null;
  insuranceUseRegisteredAt: string | null;
  /** YYYY-MM-DD: the card's issue date and last valid day (null: no end printed). */
  cardIssuedOn: string | null;
  cardExpiresOn: string | null;
}

export interface Medication {
  dispensedOn: string;
  pharmacy: string;
  prescribingInstitution: string;
  prescriber: string;
  drugName: string;
  ingredientName: string;
  dosage: string;
  quantity: string;
  unit: string;
  days: number;
}

export interface Checkup {
  kind: 'specific' | 'later-elderly';
  examinedOn: string;
  insurerNumber: string;
  results: Record<string, number | string>;
}

export interface LimitCertificate {
  classification: string;
  classificationFlag: string;
  issuedOn: string;
  validFrom: string;
  validUntil: string;
}

export interface Kiosk {
  kioskId: string;
  deviceCertSha256: string;
  deviceSerial: string;
  registeredAt: string;
  revokedAt: string | null;
}

export interface Visit {
  visitId: string;
  personRef: string;
  kioskId: string;
  medicalInstitutionCode: string;
  method: string;
  createdAt: string;
}

export { CONSENT_ITEMS, type ConsentItem } from '@myna/protocol/consent-items.js';

export interface Consent {
  visitId: string;
  item: ConsentItem;
  agreed: boolean;
  consentedAt: string;
  validUntil: string;
}

export interface AccessLogEntry {
  personRef: string;
  accessor: string;
  accessorRole: string | null;
  resource: string;
  granted: boolean;
  /** `granted`, or the problem code of the refusal. */
  outcome: string;
  at: string;
}

export interface StoredAnswer {
  requestSha256: string;
  status: number;
  body: unknown;
}

export type NonceOutcome = 'consumed' | 'unknown' | 'expired' | 'replayed';
