import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readOqsXml, toOqsXml } from '../../src/oqs/oqs-xml.ts';
import { patientSummary } from '../../src/oqs/patient-summary.ts';
import type { ResultOfQualificationConfirmation } from '../../src/oqs/qualification.ts';

/** Documents of our own in the shape of real qualification results (see test/fixtures/oqs). */
const FIXTURES = new URL('../fixtures/oqs/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));
const read = (name: string) => readOqsXml(fixture(name));
const people = (name: string): ResultOfQualificationConfirmation[] =>
  read(name).result.MessageBody.ResultList?.ResultOfQualificationConfirmation ?? [];

describe('real-shaped result documents', () => {
  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')))(
    '%s is read without error and written back as a document that reads the same',
    (name) => {
      const { result } = read(name);
      expect(readOqsXml(toOqsXml(result)).result).toEqual(result);
    },
  );

  it('社保: insurer name, card dates and per-consent times; no contribution ratio', () => {
    const [person] = people('shaho-agreed.xml');
    expect(person).toMatchObject({
      InsuredCardClassification: '01',
      InsurerNumber: '01139901',
      InsurerName: '全国健康保険協会　試験支部',
      InsuredCertificateIssuanceDate: '20230401',
      InsuredCardValidDate: '20230401',
      LimitApplicationCertificateRelatedConsFlg: '0',
      PharmacistsInfoConsTime: '20260512091502',
      OperationInfoConsTime: '20260512091524',
    });
    expect(person!.InsuredPartialContributionRatio).toBeUndefined();
    expect(read('shaho-agreed.xml').result.MessageHeader.ArbitraryFileIdentifier).toBe('Zk5wR3FhN2s=');
  });

  it('国保: a 6-digit insurer number keeps its two leading spaces; refusals have no available time', () => {
    const [person] = people('kokuho-six-digit-refused.xml');
    expect(person!.InsurerNumber).toBe('  279908');
    expect(person!.InsuredCardExpirationDate).toBe('20260731');
    expect(person!.PharmacistsInfoConsFlg).toBe('0');
    expect(person!.PharmacistsInfoAvailableTime).toBeUndefined();
    expect(patientSummary(read('kokuho-six-digit-refused.xml').result).consents).toEqual({
      pharmacists: false,
      checkups: false,
      diagnosis: false,
      operation: false,
    });
  });

  it('後期高齢者: the contribution ratio and a B-class limit certificate with its consent time', () => {
    const [person] = people('kouki-ratio-limit-b.xml');
    expect(person!.InsuredPartialContributionRatio).toBe('010');
    expect(person!.LimitApplicationCertificateRelatedConsTime).toBe('20260820103012');
    expect(person!.LimitApplicationCertificateRelatedInfo).toMatchObject({
      LimitApplicationCertificateClassification: '02',
      LimitApplicationCertificateClassificationFlag: 'B05',
    });
    expect(patientSummary(read('kouki-ratio-limit-b.xml').result).contributionPercent).toBe(10);
  });

  it('限度額 A and specific-disease certificates, as a list in document order', () => {
    const [person] = people('limit-a-specific-diseases.xml');
    expect(
      person!.LimitApplicationCertificateRelatedInfo?.LimitApplicationCertificateClassificationFlag,
    ).toBe('A03');
    expect(person!.SpecificDiseasesCertificateRelatedConsFlg).toBe('1');
    expect(
      person!.SpecificDiseasesCertificateList?.SpecificDiseasesCertificateInfo.map((c) => [
        c.SpecificDiseasesDiseaseCategory,
        c.SpecificDiseasesSelfPay,
      ]),
    ).toEqual([
      ['1', '20000'],
      ['2', '10000'],
    ]);
  });

  it('no qualification (4): no list and no file identifier', () => {
    const { result } = read('no-qualification.xml');
    expect(result.MessageBody.QualificationValidity).toBe('4');
    expect(result.MessageBody.ResultList).toBeUndefined();
    expect(result.MessageHeader.ArbitraryFileIdentifier).toBeUndefined();
  });

  it('several matches (5): every record, the lost one with its reason', () => {
    const found = people('several-matches.xml');
    expect(found.map((p) => [p.InsurerName, p.ReasonOfLoss])).toEqual([
      ['全国健康保険協会　見本支部', '03'],
      ['見本商事健康保険組合', undefined],
    ]);
  });

  it('another element order and unknown elements: read by name, the unknown ones named and skipped', () => {
    const { result, unknownElements } = read('other-order-unknown-elements.xml');
    expect(result.MessageHeader.ReferenceClassification).toBe('2');
    expect(result.MessageBody.QualificationConfirmSearchInfo).toEqual({
      InsurerNumber: '  139903',
      InsuredCardSymbol: '見本東',
      InsuredIdentificationNumber: '７７１２３',
      Birthdate: '20190501',
      LimitApplicationCertificateRelatedConsFlg: '0',
      ArbitraryIdentifier: 'c2VhcmNoMQ==',
    });
    expect(result.MessageBody.ProcessingResultMessage).toBe('見本の付帯メッセージ');
    const [person] = people('other-order-unknown-elements.xml');
    expect(person).toMatchObject({
      Name: '架空　はる',
      InsuredName: '架空　一郎',
      InsurerNumber: '  139903',
    });
    expect(unknownElements).toEqual([
      'MessageHeader.RequestSourceKind',
      'MessageBody.ResultList.ResultOfQualificationConfirmation[0].NewlyAddedRemark',
    ]);
  });
});
