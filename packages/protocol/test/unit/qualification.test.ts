import { RARE_NAME, samplePerson, sampleResult } from '@myna/devtools/test-support/sample-result.js';
import { describe, expect, it } from 'vitest';
import { patientSummary } from '../../src/oqs/patient-summary.ts';
import {
  parseQualificationResult,
  type QualificationResult,
  QualificationResultError,
} from '../../src/oqs/qualification.ts';

function problemsOf(value: unknown): string[] {
  try {
    parseQualificationResult(value);
  } catch (error) {
    expect(error).toBeInstanceOf(QualificationResultError);
    return [...(error as QualificationResultError).problems];
  }
  throw new Error('expected the result to be refused');
}

const person = 'MessageBody.ResultList.ResultOfQualificationConfirmation.0';

describe('qualification result model', () => {
  it('accepts a complete result and keeps every value as given', () => {
    const result = sampleResult();
    expect(parseQualificationResult(result)).toEqual(result);
  });

  it.each([
    ['InsurerNumber', { InsurerNumber: '6132013' }, `${person}.InsurerNumber: must be 8 digits`],
    [
      'a day February does not have',
      { Birthdate: '19580230' },
      `${person}.Birthdate: is not a calendar date`,
    ],
    ['full-width kana', { NameKana: 'ヨシダ' }, `${person}.NameKana: must be half-width katakana`],
    ['an empty name', { Name: '' }, `${person}.Name: must not be empty`],
    [
      'a limit class outside A01–A06 and B01–B10',
      {
        LimitApplicationCertificateRelatedInfo: {
          LimitApplicationCertificateClassification: '01' as const,
          LimitApplicationCertificateClassificationFlag: 'B11',
        },
      },
      `${person}.LimitApplicationCertificateRelatedInfo.LimitApplicationCertificateClassificationFlag`,
    ],
    [
      'a card classification outside 01–07 (39 is an insurer-number prefix, not a card)',
      { InsuredCardClassification: '39' },
      `${person}.InsuredCardClassification`,
    ],
    [
      'a 6-digit insurer number without its leading spaces',
      { InsurerNumber: '123456' },
      `${person}.InsurerNumber: must be 8 digits, or 6 digits after two spaces`,
    ],
    [
      'a contribution ratio for someone not 後期高齢者',
      { InsuredPartialContributionRatio: '030' },
      `${person}.InsuredPartialContributionRatio: is only for 後期高齢者`,
    ],
    [
      'an agreed limit consent without its time',
      { LimitApplicationCertificateRelatedConsTime: undefined },
      `${person}.LimitApplicationCertificateRelatedConsTime: is required when`,
    ],
    [
      'a consent time at 24 o’clock',
      { PharmacistsInfoConsTime: '20250401240000' },
      `${person}.PharmacistsInfoConsTime: is not a date and time`,
    ],
  ])('refuses %s, naming the field', (_, override, expected) => {
    const problems = problemsOf(sampleResult({ person: override as never }));
    expect(problems.some((p) => p.startsWith(expected))).toBe(true);
  });

  it.each([
    ['8 digits', '06132013'],
    ['a 6-digit 国保 number right-aligned', '  138008'],
  ])('accepts an insurer number of %s, keeping it as given', (_, number) => {
    const result = sampleResult({ person: { InsurerNumber: number } });
    expect(parseQualificationResult(result)).toEqual(result);
  });

  it('accepts B01–B10 limit classes and a ratio for 後期高齢者', () => {
    for (const flag of ['A01', 'A06', 'B01', 'B09', 'B10']) {
      const limit = {
        LimitApplicationCertificateClassification: '01' as const,
        LimitApplicationCertificateClassificationFlag: flag,
      };
      expect(() =>
        parseQualificationResult(sampleResult({ person: { LimitApplicationCertificateRelatedInfo: limit } })),
      ).not.toThrow();
    }
    const elderly = { InsurerNumber: '39131014', InsuredPartialContributionRatio: '020' };
    expect(() => parseQualificationResult(sampleResult({ person: elderly }))).not.toThrow();
  });

  it('takes any opaque file identifier, or none', () => {
    for (const id of ['aGVsbG8=', 'a/b c', undefined]) {
      const result = sampleResult({ header: { ArbitraryFileIdentifier: id } });
      expect(parseQualificationResult(result).MessageHeader.ArbitraryFileIdentifier).toBe(id);
    }
  });

  it('requires what the clinic searched with when it asked by insurance card', () => {
    expect(problemsOf(sampleResult({ header: { ReferenceClassification: '2' } }))).toEqual([
      'MessageBody.QualificationConfirmSearchInfo: is required when ReferenceClassification is 2 (insurance card)',
    ]);
    const search = {
      InsurerNumber: '06132013',
      InsuredIdentificationNumber: '4567',
      Birthdate: '19580228',
    };
    expect(() =>
      parseQualificationResult(
        sampleResult({
          header: { ReferenceClassification: '2' },
          body: { QualificationConfirmSearchInfo: search },
        }),
      ),
    ).not.toThrow();
  });

  it('names a missing required field as required', () => {
    const result = sampleResult() as unknown as { MessageHeader: Record<string, unknown> };
    delete result.MessageHeader.MedicalInstitutionCode;
    expect(problemsOf(result)).toContain('MessageHeader.MedicalInstitutionCode: is required');
    for (const name of ['InsurerName', 'InsuredCardClassification']) {
      expect(problemsOf(sampleResult({ person: { [name]: undefined } }))).toContain(
        `${person}.${name}: is required`,
      );
    }
  });

  it('never repeats a refused value in the error (it is personal data)', () => {
    const error = (() => {
      try {
        parseQualificationResult(sampleResult({ person: { NameKana: '山田花子', Birthdate: '1958-02-28' } }));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/NameKana/);
    expect(error?.message).not.toMatch(/山田花子|1958-02-28/);
  });

  it('refuses codes outside their lists', () => {
    expect(problemsOf(sampleResult({ body: { QualificationValidity: '7' as never } }))[0]).toMatch(
      /^MessageBody\.QualificationValidity/,
    );
    expect(problemsOf(sampleResult({ header: { SegmentOfResult: '3' as never } }))[0]).toMatch(
      /^MessageHeader\.SegmentOfResult/,
    );
  });

  it('requires an error code on an abnormal result', () => {
    expect(problemsOf(sampleResult({ header: { SegmentOfResult: '9' } }))).toEqual([
      'MessageHeader.ErrorCode: is required when SegmentOfResult is 9 (abnormal)',
    ]);
    expect(() =>
      parseQualificationResult(sampleResult({ header: { SegmentOfResult: '9', ErrorCode: 'E0001' } })),
    ).not.toThrow();
  });

  it('ties the result list to QualificationValidity', () => {
    expect(problemsOf(sampleResult({ body: { QualificationValidity: '4' } }))[0]).toMatch(/must be absent/);
    expect(() =>
      parseQualificationResult(sampleResult({ body: { QualificationValidity: '4', ResultList: undefined } })),
    ).not.toThrow();
    expect(problemsOf(sampleResult({ body: { QualificationValidity: '5' } }))[0]).toMatch(/every match/);
    expect(problemsOf(sampleResult({ body: { ResultList: undefined } }))[0]).toMatch(
      /is required when QualificationValidity is 1/,
    );
  });
});

describe('patientSummary', () => {
  it('gives the done screen the name untouched and the birth date as YYYY-MM-DD', () => {
    const summary = patientSummary(sampleResult());
    expect(summary).toEqual({
      displayName: RARE_NAME,
      nameKana: 'ﾖｼﾀﾞ ｶﾂﾗｺ',
      birthDate: '1958-02-28',
      validity: '1',
      validityLabel: '有効',
      usable: true,
      contributionPercent: null,
      consents: { pharmacists: true, checkups: false, diagnosis: false, operation: false },
    });
    expect([...summary.displayName!].length).toBe(7);
  });

  it('names nobody when several records matched, and says reception cannot go on', () => {
    const several: QualificationResult = sampleResult({
      body: {
        QualificationValidity: '5',
        ResultList: {
          ResultOfQualificationConfirmation: [samplePerson(), samplePerson({ InsurerNumber: '39131014' })],
        },
      },
    });
    const summary = patientSummary(several);
    expect(summary.displayName).toBeNull();
    expect(summary.birthDate).toBeNull();
    expect(summary.usable).toBe(false);
    expect(summary.validityLabel).toBe('複数該当');
  });

  it('treats 有効(未登録) as usable and 無効 as not', () => {
    expect(patientSummary(sampleResult({ body: { QualificationValidity: '6' } })).usable).toBe(true);
    expect(patientSummary(sampleResult({ body: { QualificationValidity: '2' } })).usable).toBe(false);
  });
});
