import { japanDate, japanTimestamp } from '@myna/protocol/oqs/oqs-time.js';
import { qualificationResultSchema } from '@myna/protocol/oqs/qualification.js';
import { describe, expect, it } from 'vitest';
import { buildQualificationResult, isPreschool } from '../../src/qualification-result.ts';
import type { InsuredPerson, Visit } from '../../src/store/records.ts';

const person: InsuredPerson = {
  personRef: 'p-1',
  fixtureId: 'x',
  insurerNumber: '01270999',
  insurerName: 'テスト協会けんぽ 大阪支部',
  cardClassification: '01',
  cardSymbol: '2701',
  cardNumber: '123',
  cardBranch: '00',
  personalFamily: '1',
  name: '試験　花子',
  nameKana: 'ｼｹﾝ ﾊﾅｺ',
  sex: '9',
  birthDate: '1980-02-17',
  address: '東京都',
  postNumber: '100-0001',
  contributionRatio: '030',
  qualifiedFrom: '2020-04-01',
  qualifiedUntil: null,
  insuranceUseRegisteredAt: null,
  cardIssuedOn: '2020-04-03',
  cardExpiresOn: null,
};
const visit: Visit = {
  visitId: '0b6c1f7e-2d7a-4e1c-9a53-2f0d2b9c8a11',
  personRef: 'p-1',
  kioskId: 'k',
  medicalInstitutionCode: '1312345678',
  method: 'pin',
  createdAt: '2026-11-24T20:00:00.000Z',
};
// 05:00 on 25 November in Japan.
const now = new Date('2026-11-24T20:00:00.000Z');

describe('Japan time stamps', () => {
  it('writes UTC+9 as digits', () => {
    expect(japanTimestamp(now)).toBe('20261125050000');
    expect(japanDate(new Date('2026-11-24T14:59:59Z'))).toBe('20261124');
    expect(japanDate(new Date('2026-11-24T15:00:00Z'))).toBe('20261125');
  });
});

describe('buildQualificationResult', () => {
  it('answers a valid OQS message for the person, dated in Japan time', () => {
    const result = buildQualificationResult({ visit, person, now });
    expect(() => qualificationResultSchema.parse(result)).not.toThrow();
    expect(result.MessageHeader).toMatchObject({
      ProcessExecutionTime: '20261125050000',
      QualificationConfirmationDate: '20261125',
      MedicalInstitutionCode: '1312345678',
      ArbitraryFileIdentifier: visit.visitId,
      ReferenceClassification: '1',
      SegmentOfResult: '1',
    });
    expect(result.MessageBody.QualificationValidity).toBe('1');
    const record = result.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
    expect(record).toMatchObject({
      Name: person.name,
      Birthdate: '19800217',
      Sex1: '3',
      InsuredBranchNumber: '00',
    });
    expect(record.PharmacistsInfoConsFlg).toBeUndefined();
  });

  it('names the insurer and dates the card; a 社保 record carries no contribution ratio', () => {
    const record = buildQualificationResult({ visit, person, now }).MessageBody.ResultList!
      .ResultOfQualificationConfirmation[0]!;
    expect(record).toMatchObject({
      InsuredCardClassification: '01',
      InsurerName: 'テスト協会けんぽ 大阪支部',
      InsuredCertificateIssuanceDate: '20200403',
      InsuredCardValidDate: '20200401',
    });
    expect(record.InsuredCardExpirationDate).toBeUndefined();
    expect(record.InsuredPartialContributionRatio).toBeUndefined();
  });

  it('gives 後期高齢者 their contribution ratio and the card’s last valid day', () => {
    const elderly = {
      ...person,
      insurerNumber: '39409999',
      contributionRatio: '010',
      cardExpiresOn: '2027-07-31',
    };
    const result = buildQualificationResult({ visit, person: elderly, now });
    const record = result.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
    expect(record.InsuredPartialContributionRatio).toBe('010');
    expect(record.InsuredCardExpirationDate).toBe('20270731');
    expect(() => qualificationResultSchema.parse(result)).not.toThrow();
  });

  it('writes 未就学 from the date of the visit: a child born 2019-05-01 leaves it on 2026-04-01', () => {
    const child = { ...person, birthDate: '2019-05-01', personalFamily: '2' };
    const on = (iso: string) =>
      buildQualificationResult({ visit, person: child, now: new Date(`${iso}T09:00:00+09:00`) }).MessageBody
        .ResultList!.ResultOfQualificationConfirmation[0]!.PreschoolClassification;
    expect(on('2026-03-31')).toBe('1');
    expect(on('2026-04-01')).toBeUndefined();
    expect(on('2026-11-25')).toBeUndefined();
  });

  it.each([
    ['2019-04-01', '20250331', true],
    ['2019-04-01', '20250401', false],
    ['2019-04-02', '20260331', true],
    ['2019-04-02', '20260401', false],
    ['2020-02-29', '20260331', true],
    ['2020-02-29', '20260401', false],
  ])('a child born %s is preschool on %s: %s', (birth, today, expected) => {
    expect(isPreschool(birth, today)).toBe(expected);
  });

  it('says 無効 once the qualification has ended', () => {
    const ended = buildQualificationResult({
      visit,
      person: { ...person, qualifiedUntil: '2026-03-31' },
      now,
    });
    expect(ended.MessageBody.QualificationValidity).toBe('2');
  });

  it('carries consent flags with times, and an available time only for an agreement', () => {
    const result = buildQualificationResult({
      visit,
      person,
      now,
      consents: [
        {
          visitId: visit.visitId,
          item: 'medication',
          agreed: true,
          consentedAt: '2026-11-24T20:00:00.000Z',
          validUntil: '2026-11-25T20:00:00.000Z',
        },
        {
          visitId: visit.visitId,
          item: 'surgery',
          agreed: false,
          consentedAt: '2026-11-24T20:00:05.000Z',
          validUntil: '2026-11-25T20:00:05.000Z',
        },
      ],
    });
    const record = result.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
    expect(record.PharmacistsInfoConsFlg).toBe('1');
    expect(record.PharmacistsInfoConsTime).toBe('20261125050000');
    expect(record.PharmacistsInfoAvailableTime).toBe('20261126050000');
    expect(record.OperationInfoConsFlg).toBe('0');
    expect(record.OperationInfoConsTime).toBe('20261125050005');
    expect(record.OperationInfoAvailableTime).toBeUndefined();
    expect(Object.keys(record).indexOf('PharmacistsInfoConsFlg')).toBeLessThan(
      Object.keys(record).indexOf('OperationInfoConsFlg'),
    );
  });

  it('includes a limit certificate only while it is valid', () => {
    const limit = {
      classification: '01',
      classificationFlag: 'A03',
      issuedOn: '2026-04-01',
      validFrom: '2026-04-01',
      validUntil: '2026-11-25',
    };
    const valid = buildQualificationResult({ visit, person, now, limitCertificate: limit });
    expect(
      valid.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!
        .LimitApplicationCertificateRelatedInfo,
    ).toEqual({
      LimitApplicationCertificateClassification: '01',
      LimitApplicationCertificateClassificationFlag: 'A03',
      LimitApplicationCertificateDate: '20260401',
      LimitApplicationCertificateValidStartDate: '20260401',
      LimitApplicationCertificateValidEndDate: '20261125',
    });
    const lapsed = buildQualificationResult({
      visit,
      person,
      now,
      limitCertificate: { ...limit, validUntil: '2026-11-24' },
    });
    expect(
      lapsed.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!
        .LimitApplicationCertificateRelatedInfo,
    ).toBeUndefined();
  });
});
