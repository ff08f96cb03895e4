import { sampleResult } from '@myna/devtools/test-support/sample-result.js';
import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../../../src/reception/ports.ts';
import { resultAfterDelivery, visitResult } from '../../../src/reception/result-documents.ts';

const AT = '2026-11-24T00:30:00.000Z';
const record = (items: ConsentRecord['items']): ConsentRecord => ({ visitId: 'v-1', items });

describe('the document of the visit', () => {
  it("sets the patient's answers, in Japan time, on the upstream's result", () => {
    const document = sampleResult();
    const result = visitResult(
      document,
      record([
        { item: 'medication', agreed: true, at: AT },
        { item: 'checkup', agreed: false, at: AT },
        { item: 'limit-info', agreed: true, at: AT },
      ]),
    );
    const [person] = result.MessageBody.ResultList!.ResultOfQualificationConfirmation;
    expect(person).toMatchObject({
      PharmacistsInfoConsFlg: '1',
      PharmacistsInfoConsTime: '20261124093000',
      PharmacistsInfoAvailableTime: '20261125093000',
      SpecificHealthCheckupsInfoConsFlg: '0',
      SpecificHealthCheckupsInfoConsTime: '20261124093000',
    });
    // 限度額 has no flag of its own in the result: the upstream's answer brings the certificate.
    expect(Object.keys(person!).filter((k) => /limit/i.test(k) && /Cons/.test(k))).toEqual([]);
    // The upstream's document itself is left as it came.
    expect(document).toEqual(sampleResult());
  });
});

describe('the document after delivery', () => {
  const qualification = sampleResult({ header: { ArbitraryFileIdentifier: 'upstream-000043' } });

  it("is the upstream's answer when 限度額 was agreed", () => {
    const consents = [
      { item: 'medication', agreed: true },
      { item: 'limit-info', agreed: true },
    ];
    expect(resultAfterDelivery({ consents, qualification })).toBe(qualification);
  });

  it('is none when 限度額 was declined or not asked: the document of the visit stands', () => {
    expect(
      resultAfterDelivery({ consents: [{ item: 'limit-info', agreed: false }], qualification }),
    ).toBeNull();
    expect(
      resultAfterDelivery({ consents: [{ item: 'medication', agreed: true }], qualification }),
    ).toBeNull();
  });
});
