import type {
  QualificationResult,
  ResultOfQualificationConfirmation,
} from '@myna/protocol/oqs/qualification.js';

/** A name that needs every kind of care: a surrogate pair, an ideographic variation sequence, 髙, U+3000. */
export const RARE_NAME = '𠮷田\u3000葛\u{E0100}髙子';

export function samplePerson(
  overrides: Partial<ResultOfQualificationConfirmation> = {},
): ResultOfQualificationConfirmation {
  return {
    InsuredCardClassification: '01',
    InsurerNumber: '06132013',
    InsuredCardSymbol: '１２３',
    InsuredIdentificationNumber: '4567',
    InsuredBranchNumber: '01',
    PersonalFamilyClassification: '1',
    Name: RARE_NAME,
    NameKana: 'ﾖｼﾀﾞ ｶﾂﾗｺ',
    Sex1: '2',
    Birthdate: '19580228',
    Address: '東京都千代田区霞が関1-2-2',
    PostNumber: '100-8916',
    InsuredCertificateIssuanceDate: '20240801',
    InsuredCardValidDate: '20240801',
    InsuredCardExpirationDate: '20260731',
    InsurerName: 'テスト健康保険組合',
    ElderlyRecipientCertificateInfo: {
      ElderlyRecipientValidStartDate: '20240801',
      ElderlyRecipientContributionRatio: '020',
    },
    LimitApplicationCertificateRelatedConsFlg: '1',
    LimitApplicationCertificateRelatedConsTime: '20250401093010',
    LimitApplicationCertificateRelatedInfo: {
      LimitApplicationCertificateClassification: '01',
      LimitApplicationCertificateClassificationFlag: 'A03',
    },
    ReferenceNumber: 'P-000123',
    PharmacistsInfoConsFlg: '1',
    PharmacistsInfoConsTime: '20250401093000',
    PharmacistsInfoAvailableTime: '20250402093000',
    SpecificHealthCheckupsInfoConsFlg: '0',
    SpecificHealthCheckupsInfoConsTime: '20250401093005',
    SpecificHealthCheckupsInfoAvailableTime: '20250402093005',
    ...overrides,
  };
}

export function sampleResult(
  options: {
    header?: Partial<QualificationResult['MessageHeader']>;
    body?: Partial<QualificationResult['MessageBody']>;
    person?: Partial<ResultOfQualificationConfirmation>;
  } = {},
): QualificationResult {
  return {
    MessageHeader: {
      ProcessExecutionTime: '20250401093015',
      QualificationConfirmationDate: '20250401',
      MedicalInstitutionCode: '1312345678',
      ArbitraryFileIdentifier: 'kiosk01-000042',
      ReferenceClassification: '1',
      SegmentOfResult: '1',
      CharacterCodeIdentifier: '0',
      ...options.header,
    },
    MessageBody: {
      ProcessingResultStatus: '1',
      QualificationValidity: '1',
      PrescriptionIssueSelect: '1',
      ResultList: { ResultOfQualificationConfirmation: [samplePerson(options.person)] },
      ...options.body,
    },
  };
}
