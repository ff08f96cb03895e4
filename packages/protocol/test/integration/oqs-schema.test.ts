import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplePerson, sampleResult } from '@myna/devtools/test-support/sample-result.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { elementFields } from '../../src/oqs/element-order.ts';
import { toOqsXml } from '../../src/oqs/oqs-xml.ts';
import {
  elderlyRecipientCertificateInfoSchema,
  limitApplicationCertificateRelatedInfoSchema,
  messageBodySchema,
  messageHeaderSchema,
  type QualificationResult,
  resultListSchema,
  resultOfQualificationConfirmationSchema,
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
            InsurerNumber: '00000018',
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
  ])('%s', (_, result) => {
    const check = xmllint(toOqsXml(result));
    expect(check.output).toContain('validates');
    expect(check.ok).toBe(true);
  });
});

describe('schema/oqs-result.xsd refuses broken documents', () => {
  const nameLine = /\n\s*<Name>[^<]*<\/Name>/.exec(xml)![0];
  it.each([
    ['elements out of order', xml.replace(nameLine, '').replace('</NameKana>', `</NameKana>${nameLine}`)],
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
  ];

  it.each(pairs)('%s lists the model’s elements, in its order, optional where it is', (type, schema) => {
    expect(types.get(type)).toEqual(elementFields(schema).map(({ name, optional }) => ({ name, optional })));
  });
});
