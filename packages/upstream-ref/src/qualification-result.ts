/**
 * The qualification answer in the OQS XmlMsg shape (src/results/qualification.ts), built from what
 * the upstream holds on the person, and rebuilt after consents so the flags, their times and the
 * limit certificate (only when the patient agreed to share it) appear as OQS carries them.
 */
import { consentFlags } from '@myna/protocol/oqs/consent-flags.js';
import { compactDate, japanDate, japanTimestamp } from '@myna/protocol/oqs/oqs-time.js';
import type {
  LimitApplicationCertificateRelatedInfo,
  QualificationResult,
  ResultOfQualificationConfirmation,
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
  const record: ResultOfQualificationConfirmation = {
    InsuredCardClassification: person.cardClassification,
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
    InsuredPartialContributionRatio: person.contributionRatio,
    ...(person.preschool ? { PreschoolClassification: person.preschool } : {}),
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
