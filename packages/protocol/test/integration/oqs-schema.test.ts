import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplePerson, sampleResult } from '@myna/devtools/test-support/sample-result.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { elementFields } from '../../src/oqs/element-order.ts';
import { fromOqsXml, toOqsXml } from '../../src/oqs/oqs-xml.ts';
import {
  elderlyRecipientCertificateInfoSchema,
  limitApplicationCertificateRelatedInfoSchema,
  messageBodySchema,
  messageHeaderSchema,
  type QualificationResult,
  qualificationConfirmSearchInfoSchema,
  resultListSchema,
  resultOfQualificationConfirmationSchema,
  specificDiseasesCertificateInfoSchema,
  specificDiseasesCertificateListSchema,
} from '../../src/oqs/qualification.ts';

const XSD = new URL('../../schema/oqs-result.xsd', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'oqs-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
function xmllint(xml: string): { ok: boolean; output: string } {
  const file = join(dir, `doc-${count++}.xml`);
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  return { ok: run.status === 0, output: run.stderr };
}

const xml = toOqsXml(sampleResult());

/** Only what the model requires. */
function minimalResult(): QualificationResult {
  return {
    MessageHeader: sampleResult().MessageHeader,
    MessageBody: {
      ProcessingResultStatus: '1',
      QualificationValidity: '1',
      ResultList: {
        ResultOfQualificationConfirmation: [
          {
            InsuredCardClassification: '01',
            InsurerNumber: '00000018',
            InsurerName: '某健康保険組合',
            InsuredIdentificationNumber: '1',
            Name: '某',
            NameKana: 'ﾎﾞｳ',
            Sex1: '3',
            Birthdate: '20000101',
          },
        ],
      },
    },
  };
}

describe('schema/oqs-result.xsd accepts what the kiosk writes', () => {
  it.each([
    ['a complete result', sampleResult()],
    ['a minimal result', minimalResult()],
    [
      'an abnormal result',
      sampleResult({
        header: { SegmentOfResult: '9', ErrorCode: 'E1001', ErrorMessage: '資格情報が見つかりません' },
        body: { QualificationValidity: '4', ResultList: undefined },
      }),
    ],
    [
      'several matches',
      sampleResult({
        body: {
          QualificationValidity: '5',
          ResultList: {
            ResultOfQualificationConfirmation: [samplePerson(), samplePerson({ Name: '髙橋　一' })],
          },
        },
      }),
    ],
    [
      'a 6-digit 国保 insurer, no file identifier and a look-up by insurance card',
      sampleResult({
        header: { ArbitraryFileIdentifier: undefined, ReferenceClassification: '2' },
        person: { InsurerNumber: '  138008' },
        body: {
          QualificationConfirmSearchInfo: {
            InsurerNumber: '  138008',
            InsuredIdentificationNumber: '4567',
            Birthdate: '19580228',
            LimitApplicationCertificateRelatedConsFlg: '1',
          },
        },
      }),
    ],
    [
      '後期高齢者 with a ratio, a B10 limit class and specific-disease certificates',
      sampleResult({
        person: {
          InsurerNumber: '39131014',
          InsuredPartialContributionRatio: '020',
          LimitApplicationCertificateRelatedInfo: {
            LimitApplicationCertificateClassification: '01',
            LimitApplicationCertificateClassificationFlag: 'B10',
          },
          SpecificDiseasesCertificateRelatedConsFlg: '1',
          SpecificDiseasesCertificateRelatedConsTime: '20250401093010',
          SpecificDiseasesCertificateList: {
            SpecificDiseasesCertificateInfo: [
              { SpecificDiseasesDiseaseCategory: '1', SpecificDiseasesSelfPay: '10000' },
              { SpecificDiseasesDiseaseCategory: '3', SpecificDiseasesValidStartDate: '20240101' },
            ],
          },
        },
      }),
    ],
  ])('%s', (_, result) => {
    const check = xmllint(toOqsXml(result));
    expect(check.output).toContain('validates');
    expect(check.ok).toBe(true);
  });
});

describe('schema/oqs-result.xsd and real-shaped documents (test/fixtures/oqs)', () => {
  const fixtures = new URL('../fixtures/oqs/', import.meta.url);
  const names = readdirSync(fixtures).filter((f) => f.endsWith('.xml'));
  const unknownElements = /\n\s*<(RequestSourceKind|NewlyAddedRemark)>[^<]*<\/\1>/g;

  it.each(names)('accepts what the writer makes of %s, which reads back the same', (name) => {
    const read = fromOqsXml(readFileSync(new URL(name, fixtures)));
    const written = toOqsXml(read);
    expect(xmllint(written).output).toContain('validates');
    expect(fromOqsXml(written)).toEqual(read);
  });

  it.each(names.filter((name) => !name.includes('unknown')))('accepts %s', (name) => {
    const check = xmllint(readFileSync(new URL(name, fixtures), 'utf8'));
    expect(check.output).toContain('validates');
  });

  // XSD 1.0 has no room for unknown elements inside xs:all; the reader skips them instead.
  it('accepts another element order, and refuses only the elements it does not name', () => {
    const text = readFileSync(new URL('other-order-unknown-elements.xml', fixtures), 'utf8');
    const refused = xmllint(text);
    expect(refused.ok).toBe(false);
    expect(refused.output).toMatch(/RequestSourceKind/);
    const known = text.replace(unknownElements, '');
    expect(known).not.toBe(text);
    expect(xmllint(known).output).toContain('validates');
  });
});

describe('schema/oqs-result.xsd takes elements in any order', () => {
  it('accepts Name after NameKana and the header’s elements reversed', () => {
    const nameLine = /\n\s*<Name>[^<]*<\/Name>/.exec(xml)![0];
    const header = /<MessageHeader>([\s\S]*?)\n\s*<\/MessageHeader>/.exec(xml)!;
    const reversed = header[1]!.split('\n').reverse().join('\n');
    const moved = xml
      .replace(nameLine, '')
      .replace('</NameKana>', `</NameKana>${nameLine}`)
      .replace(header[1]!, `\n${reversed}`);
    expect(moved.indexOf('<Name>')).toBeGreaterThan(moved.indexOf('<NameKana>'));
    expect(xmllint(moved).output).toContain('validates');
  });
});

describe('schema/oqs-result.xsd refuses broken documents', () => {
  const nameLine = /\n\s*<Name>[^<]*<\/Name>/.exec(xml)![0];
  it.each([
    ['an element twice', xml.replace('</NameKana>', `</NameKana>${nameLine}`)],
    [
      'a 6-digit insurer number without its spaces',
      xml.replace('<InsurerNumber>06132013<', '<InsurerNumber>132013<'),
    ],
    [
      'a card classification outside 01–07',
      xml.replace('<InsuredCardClassification>01<', '<InsuredCardClassification>39<'),
    ],
    ['a limit class past B10', xml.replace('>A03<', '>B11<')],
    ['no insurer name', xml.replace(/\n\s*<InsurerName>[^<]*<\/InsurerName>/, '')],
    ['a 7-digit insurer number', xml.replace('<InsurerNumber>06132013<', '<InsurerNumber>6132013<')],
    ['an unknown validity code', xml.replace('<QualificationValidity>1<', '<QualificationValidity>7<')],
    ['a day that cannot exist', xml.replace('<Birthdate>19580228<', '<Birthdate>19581332<')],
    ['a missing required element', xml.replace(/\n\s*<Sex1>2<\/Sex1>/, '')],
    ['an element it does not define', xml.replace('<Sex1>', '<Nickname>たろう</Nickname><Sex1>')],
    ['full-width kana', xml.replace(/<NameKana>[^<]*</, '<NameKana>ヨシダ<')],
    ['a tab in a name', xml.replace('<Name>', '<Name>&#x9;')],
    ['a C1 control in an address', xml.replace('<Address>', '<Address>&#x85;')],
    ['an empty optional element', xml.replace(/<Address>[^<]*</, '<Address><')],
    ['an unknown limit class', xml.replace('>A03<', '>C03<')],
  ])('%s', (_, broken) => {
    expect(broken).not.toBe(xml);
    const check = xmllint(broken);
    expect(check.ok).toBe(false);
    expect(check.output).toMatch(/fails to validate/);
  });
});

describe('schema/oqs-result.xsd and the model agree', () => {
  const xsd = readFileSync(XSD, 'utf8');
  const types = new Map(
    [...xsd.matchAll(/<xs:complexType name="(\w+)">([\s\S]*?)<\/xs:complexType>/g)].map((m) => [
      m[1]!,
      [...m[2]!.matchAll(/<xs:element\s+name="(\w+)"([^>]*)>/g)].map((e) => ({
        name: e[1]!,
        optional: /minOccurs="0"/.test(e[2]!),
      })),
    ]),
  );
  const pairs: [string, z.ZodObject][] = [
    ['MessageHeaderType', messageHeaderSchema],
    ['MessageBodyType', messageBodySchema],
    ['ResultListType', resultListSchema],
    ['ResultOfQualificationConfirmationType', resultOfQualificationConfirmationSchema],
    ['ElderlyRecipientCertificateInfoType', elderlyRecipientCertificateInfoSchema],
    ['LimitApplicationCertificateRelatedInfoType', limitApplicationCertificateRelatedInfoSchema],
    ['SpecificDiseasesCertificateListType', specificDiseasesCertificateListSchema],
    ['SpecificDiseasesCertificateInfoType', specificDiseasesCertificateInfoSchema],
    ['QualificationConfirmSearchInfoType', qualificationConfirmSearchInfoSchema],
  ];

  it.each(pairs)('%s lists the model’s elements, in its order, optional where it is', (type, schema) => {
    expect(types.get(type)).toEqual(elementFields(schema).map(({ name, optional }) => ({ name, optional })));
  });
});
