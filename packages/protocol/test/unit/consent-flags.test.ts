import { sampleResult } from '@myna/devtools/test-support/sample-result.js';
import { describe, expect, it } from 'vitest';
import { CONSENT_QUESTIONS } from '../../src/consent-items.ts';
import { consentFlags, withConsents } from '../../src/oqs/consent-flags.ts';
import { fromOqsXml, toOqsXml } from '../../src/oqs/oqs-xml.ts';
import { patientSummary } from '../../src/oqs/patient-summary.ts';
import { parseQualificationResult } from '../../src/oqs/qualification.ts';

const at = new Date('2026-11-24T00:30:00Z'); // 09:30 in Japan

describe('consent flags', () => {
  it('sets flag, time (Japan time) and 24-hour availability for an agreement; no availability for a refusal', () => {
    expect(
      consentFlags([
        { item: 'medication', agreed: true, at },
        { item: 'checkup', agreed: false, at },
        { item: 'limit-info', agreed: true, at },
      ]),
    ).toEqual({
      PharmacistsInfoConsFlg: '1',
      PharmacistsInfoConsTime: '20261124093000',
      PharmacistsInfoAvailableTime: '20261125093000',
      SpecificHealthCheckupsInfoConsFlg: '0',
      SpecificHealthCheckupsInfoConsTime: '20261124093000',
      LimitApplicationCertificateRelatedConsFlg: '1',
      LimitApplicationCertificateRelatedConsTime: '20261124093000',
      SpecificDiseasesCertificateRelatedConsFlg: '1',
      SpecificDiseasesCertificateRelatedConsTime: '20261124093000',
    });
  });

  it('writes a declined 限度額 as 0 without a time, as real results do', () => {
    expect(consentFlags([{ item: 'limit-info', agreed: false, at }])).toEqual({
      LimitApplicationCertificateRelatedConsFlg: '0',
      SpecificDiseasesCertificateRelatedConsFlg: '0',
    });
  });

  it('stamps each consent with the time it was given, not the time of the last answer', () => {
    const second = (n: number) => new Date(at.getTime() + n * 1000);
    const person = withConsents(sampleResult(), [
      { item: 'medication', agreed: true, at: second(0) },
      { item: 'checkup', agreed: false, at: second(7) },
      { item: 'diagnosis', agreed: true, at: second(15) },
      { item: 'surgery', agreed: true, at: second(22) },
      { item: 'limit-info', agreed: true, at: second(41) },
    ]).MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
    expect([
      person.PharmacistsInfoConsTime,
      person.SpecificHealthCheckupsInfoConsTime,
      person.DiagnosisInfoConsTime,
      person.OperationInfoConsTime,
      person.LimitApplicationCertificateRelatedConsTime,
      person.DiagnosisInfoAvailableTime,
    ]).toEqual([
      '20261124093000',
      '20261124093007',
      '20261124093015',
      '20261124093022',
      '20261124093041',
      '20261125093015',
    ]);
  });
});

describe('withConsents', () => {
  it('puts the answers on the person in the document, which still validates and round-trips as XML', () => {
    const result = withConsents(sampleResult(), [
      { item: 'medication', agreed: true, at },
      { item: 'surgery', agreed: true, at },
    ]);
    expect(parseQualificationResult(result)).toEqual(result);
    expect(patientSummary(fromOqsXml(toOqsXml(result))).consents).toMatchObject({
      pharmacists: true,
      operation: true,
      checkups: false,
    });
  });
});

describe('the consent list', () => {
  it.each(CONSENT_QUESTIONS)(
    'gives %s flags that a result keeps (the schema drops names it does not know)',
    (item) => {
      const result = withConsents(sampleResult(), [{ item, agreed: true, at }]);
      expect(Object.keys(result.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!)).toEqual(
        expect.arrayContaining([expect.stringMatching(/ConsFlg$/), expect.stringMatching(/AvailableTime$/)]),
      );
      expect(parseQualificationResult(result)).toEqual(result);
    },
  );
});
