/**
 * The qualification answer in the OQS XmlMsg shape (src/results/qualification.ts), built from what
 * the upstream holds on the person, and rebuilt after consents so the flags, their times and the
 * limit certificate (only when the patient agreed to share it) appear as OQS carries them.
 */
import {
  CONSENT_GIVEN,
  type LimitApplicationCertificateRelatedInfo,
  parseQualificationResult,
  type QualificationResult,
  type ResultOfQualificationConfirmation,
} from '../results/qualification.ts';
import { compactDate, japanDate, japanTimestamp } from './oqs-time.ts';
import type { Consent, ConsentItem, InsuredPerson, LimitCertificate, Visit } from './store/records.ts';

/** OQS consent element prefixes per consent item; limit-info has no flag of its own. */
const CONSENT_ELEMENTS: Partial<Record<ConsentItem, string>> = {
  medication: 'PharmacistsInfo',
  checkup: 'SpecificHealthCheckupsInfo',
  diagnosis: 'DiagnosisInfo',
  surgery: 'OperationInfo',
};

const CONSENT_DECLINED = '0';

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
    ...consentFlags(input.consents ?? []),
  };
  return parseQualificationResult({
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
  });
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

function consentFlags(consents: readonly Consent[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const consent of consents) {
    const element = CONSENT_ELEMENTS[consent.item];
    if (!element) continue;
    flags[`${element}ConsFlg`] = consent.agreed ? CONSENT_GIVEN : CONSENT_DECLINED;
    flags[`${element}ConsTime`] = japanTimestamp(new Date(consent.consentedAt));
    if (consent.agreed) flags[`${element}AvailableTime`] = japanTimestamp(new Date(consent.validUntil));
  }
  return flags;
}
