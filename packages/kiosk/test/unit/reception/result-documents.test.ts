import { sampleResult } from '@myna/devtools/test-support/sample-result.js';
import type { QualificationResult } from '@myna/protocol/oqs/qualification.js';
import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../../../src/reception/ports.ts';
import { VisitDocuments, visitResult } from '../../../src/reception/result-documents.ts';

const record = (items: ConsentRecord['items']): ConsentRecord => ({ visitId: 'v-1', items });
const LIMIT = {
  LimitApplicationCertificateClassification: '01',
  LimitApplicationCertificateClassificationFlag: 'A01',
  LimitApplicationCertificateDate: '20260401',
  LimitApplicationCertificateValidStartDate: '20260401',
  LimitApplicationCertificateValidEndDate: '20270331',
} as const;
const person = (result: QualificationResult) =>
  result.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;

describe('the document of the visit', () => {
  it("sets each answer, at the time it was given (Japan time), on the upstream's result", () => {
    const document = sampleResult();
    const result = visitResult(
      document,
      record([
        { item: 'medication', agreed: true, at: '2026-11-24T00:30:00.000Z' },
        { item: 'checkup', agreed: false, at: '2026-11-24T00:30:07.000Z' },
        { item: 'limit-info', agreed: true, at: '2026-11-24T00:30:19.000Z' },
      ]),
    );
    expect(person(result)).toMatchObject({
      PharmacistsInfoConsFlg: '1',
      PharmacistsInfoConsTime: '20261124093000',
      PharmacistsInfoAvailableTime: '20261125093000',
      SpecificHealthCheckupsInfoConsFlg: '0',
      SpecificHealthCheckupsInfoConsTime: '20261124093007',
    });
    // The upstream's document itself is left as it came.
    expect(document).toEqual(sampleResult());
  });
});

describe('one document per visit', () => {
  // What the upstream answers at verification: no limit certificate before 限度額 is agreed.
  const visit = sampleResult({
    header: { ArbitraryFileIdentifier: 'v-1', ProcessExecutionTime: '20261124093000' },
  });
  delete person(visit).LimitApplicationCertificateRelatedInfo;
  const answered = sampleResult({
    header: { ArbitraryFileIdentifier: 'v-1', ProcessExecutionTime: '20261124093021' },
    person: { LimitApplicationCertificateRelatedInfo: LIMIT },
  });
  const limitAgreed = record([
    { item: 'medication', agreed: true, at: '2026-11-24T00:30:00.000Z' },
    { item: 'limit-info', agreed: true, at: '2026-11-24T00:30:19.000Z' },
  ]);

  function documents(waitMs: number) {
    const published: QualificationResult[] = [];
    const docs = new VisitDocuments({ publish: async (result) => void published.push(result), waitMs });
    return { docs, published };
  }

  it('without a 限度額 agreement: written at once, and an answer from the upstream later changes nothing', async () => {
    const { docs, published } = documents(60_000);
    const declined = record([{ item: 'limit-info', agreed: false, at: '2026-11-24T00:30:19.000Z' }]);
    await expect(docs.settle(visit, declined)).resolves.toEqual({});
    expect(published).toHaveLength(1);
    expect(published[0]!.MessageHeader).toEqual(visit.MessageHeader);
    expect(docs.delivered({ visitId: 'v-1', qualification: answered })).toBe(false);
    expect(published).toHaveLength(1);
  });

  it("with 限度額 agreed: waits for the upstream's answer and writes it once, certificate and answers on it", async () => {
    const { docs, published } = documents(60_000);
    const settled = docs.settle(visit, limitAgreed);
    await Promise.resolve();
    expect(published).toEqual([]);
    expect(docs.delivered({ visitId: 'v-2', qualification: answered })).toBe(false);
    expect(docs.delivered({ visitId: 'v-1', qualification: answered })).toBe(true);
    await expect(settled).resolves.toEqual({ limitCertificate: 'from-upstream' });
    expect(published).toHaveLength(1);
    expect(person(published[0]!).LimitApplicationCertificateRelatedInfo).toEqual(LIMIT);
    expect(person(published[0]!).PharmacistsInfoConsTime).toBe('20261124093000');
    // A second answer (the outbox delivering again) writes nothing more.
    expect(docs.delivered({ visitId: 'v-1', qualification: answered })).toBe(false);
    expect(published).toHaveLength(1);
  });

  it('with 限度額 agreed and no answer in time: written once without the certificate, and not again', async () => {
    const { docs, published } = documents(30);
    const started = Date.now();
    await expect(docs.settle(visit, limitAgreed)).resolves.toEqual({ limitCertificate: 'not-in-time' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(published).toHaveLength(1);
    expect(published[0]!.MessageHeader).toEqual(visit.MessageHeader);
    expect(person(published[0]!).LimitApplicationCertificateRelatedInfo).toBeUndefined();
    expect(docs.delivered({ visitId: 'v-1', qualification: answered })).toBe(false);
    expect(published).toHaveLength(1);
  });
});
