/**
 * The qualification answer in the OQS XmlMsg shape (@myna/protocol/oqs/qualification), built from what
 * the upstream holds on the person, and rebuilt after consents so the flags, their times and the
 * limit certificate (only when the patient agreed to share it) appear as OQS carries them.
 */
import { consentFlags } from '@myna/protocol/oqs/consent-flags.js';
import { compactDate, japanDate, japanTimestamp } from '@myna/protocol/oqs/oqs-time.js';
import {
  isLaterElderly,
  type LimitApplicationCertificateRelatedInfo,
  type QualificationResult,
  type ResultOfQualificationConfirmation,
} from '@myna/protocol/oqs/qualification.js';
import type { Consent, InsuredPerson, LimitCertificate, Visit } from './store/records.ts';

export interface ResultInput {
  visit: Visit;
  person: InsuredPerson;
  now: Date;
  /** Present once the patient answered; latest answer per item. */
  consents?: readonly Consent[];
  /** Given only when the patient agreed to share limit information. */
  limitCertificate?: LimitCertificate | undefined;
}

export function buildQualificationResult(input: ResultInput): QualificationResult {
  const { visit, person, now } = input;
  const today = japanDate(now);
  const qualified =
    compactDate(person.qualifiedFrom) <= today &&
    (person.qualifiedUntil === null || compactDate(person.qualifiedUntil) >= today);
  const cardClassification =
    person.cardClassification as ResultOfQualificationConfirmation['InsuredCardClassification'];
  const expires = person.cardExpiresOn ?? person.qualifiedUntil;
  const record: ResultOfQualificationConfirmation = {
    InsuredCardClassification: cardClassification,
    InsurerNumber: person.insurerNumber,
    ...(person.cardSymbol ? { InsuredCardSymbol: person.cardSymbol } : {}),
    InsuredIdentificationNumber: person.cardNumber,
    ...(person.cardBranch ? { InsuredBranchNumber: person.cardBranch } : {}),
    PersonalFamilyClassification: person.personalFamily === '2' ? '2' : '1',
    Name: person.name,
    NameKana: person.nameKana,
    Sex1: person.sex === '1' || person.sex === '2' ? person.sex : '3',
    Birthdate: compactDate(person.birthDate),
    ...(person.address ? { Address: person.address } : {}),
    ...(person.postNumber ? { PostNumber: person.postNumber } : {}),
    ...(person.cardIssuedOn ? { InsuredCertificateIssuanceDate: compactDate(person.cardIssuedOn) } : {}),
    // The first day the insurance applies: what receipt systems take as the start of the record.
    InsuredCardValidDate: compactDate(person.qualifiedFrom),
    ...(expires ? { InsuredCardExpirationDate: compactDate(expires) } : {}),
    ...(isLaterElderly(person.insurerNumber)
      ? { InsuredPartialContributionRatio: person.contributionRatio }
      : {}),
    ...(isPreschool(person.birthDate, today) ? { PreschoolClassification: PRESCHOOL } : {}),
    InsurerName: person.insurerName,
    ...limitInfo(input.limitCertificate, today),
    ...flagsOf(input.consents ?? []),
  };
  // Not parsed again here: the parts are typed, the kiosk checks the document against the same
  // schema when it arrives, and the tests build one for every seeded person and parse it. Parsing
  // took about a twentieth of the upstream's CPU per verification.
  return {
    MessageHeader: {
      ProcessExecutionTime: japanTimestamp(now),
      QualificationConfirmationDate: today,
      MedicalInstitutionCode: visit.medicalInstitutionCode,
      ArbitraryFileIdentifier: visit.visitId,
      ReferenceClassification: '1',
      SegmentOfResult: '1',
      CharacterCodeIdentifier: '0',
    },
    MessageBody: {
      ProcessingResultStatus: '1',
      QualificationValidity: qualified ? '1' : '2',
      ResultList: { ResultOfQualificationConfirmation: [record] },
    },
  };
}

/** PreschoolClassification "1": 未就学. */
const PRESCHOOL = '1';

/**
 * 未就学: up to the 31 March after the day the child reaches six. In law one reaches an age the day
 * before the birthday, so a child born on 1 April leaves at the end of the March before it, and one
 * born on 2 April a year later. birthDate YYYY-MM-DD, today YYYYMMDD.
 */
export function isPreschool(birthDate: string, today: string): boolean {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const reachesSix = new Date(Date.UTC(year + 6, month - 1, day - 1));
  const lastYear =
    reachesSix.getUTCMonth() < 3 ? reachesSix.getUTCFullYear() : reachesSix.getUTCFullYear() + 1;
  return today <= `${lastYear}0331`;
}

function limitInfo(
  limit: LimitCertificate | undefined,
  today: string,
): { LimitApplicationCertificateRelatedInfo?: LimitApplicationCertificateRelatedInfo } {
  if (!limit || compactDate(limit.validFrom) > today || compactDate(limit.validUntil) < today) return {};
  return {
    LimitApplicationCertificateRelatedInfo: {
      LimitApplicationCertificateClassification: limit.classification as '01' | '02' | '03',
      LimitApplicationCertificateClassificationFlag: limit.classificationFlag,
      LimitApplicationCertificateDate: compactDate(limit.issuedOn),
      LimitApplicationCertificateValidStartDate: compactDate(limit.validFrom),
      LimitApplicationCertificateValidEndDate: compactDate(limit.validUntil),
    },
  };
}

function flagsOf(consents: readonly Consent[]): Record<string, string> {
  return consentFlags(
    consents.map((c) => ({
      item: c.item,
      agreed: c.agreed,
      at: new Date(c.consentedAt),
      validUntil: new Date(c.validUntil),
    })),
  );
}
