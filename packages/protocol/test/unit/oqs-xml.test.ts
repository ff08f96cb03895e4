import { RARE_NAME, samplePerson, sampleResult } from '@myna/devtools/test-support/sample-result.js';
import { describe, expect, it } from 'vitest';
import { fromOqsXml, ResultXmlError, toOqsXml } from '../../src/oqs/oqs-xml.ts';
import { QualificationResultError } from '../../src/oqs/qualification.ts';

const namePath = 'MessageBody.ResultList.ResultOfQualificationConfirmation[0].Name';

function refusal(action: () => unknown): ResultXmlError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ResultXmlError);
    return error as ResultXmlError;
  }
  throw new Error('expected a ResultXmlError');
}

describe('toOqsXml', () => {
  it('writes a UTF-8 XmlMsg document with the declaration clinic systems expect', () => {
    const xml = toOqsXml(sampleResult());
    expect(xml.split('\n')[0]).toBe('<?xml version="1.0" encoding="UTF-8" standalone="no"?>');
    expect(xml.split('\n')[1]).toBe('<XmlMsg>');
    expect(xml.endsWith('</XmlMsg>\n')).toBe(true);
    expect(xml.charCodeAt(0)).toBe(0x3c);
  });

  it('always declares UTF-8 in CharacterCodeIdentifier, whatever the source said', () => {
    const xml = toOqsXml(sampleResult({ header: { CharacterCodeIdentifier: '1' } }));
    expect(xml).toContain('<CharacterCodeIdentifier>0</CharacterCodeIdentifier>');
  });

  it('writes elements in the fixed order however the object was put together', () => {
    const ordered = sampleResult();
    const person = samplePerson();
    const reversedPerson = Object.fromEntries(Object.entries(person).reverse()) as typeof person;
    const shuffled = {
      MessageBody: {
        ResultList: { ResultOfQualificationConfirmation: [reversedPerson] },
        ...Object.fromEntries(Object.entries(ordered.MessageBody).reverse()),
      },
      MessageHeader: Object.fromEntries(Object.entries(ordered.MessageHeader).reverse()),
    } as unknown as typeof ordered;
    const xml = toOqsXml(shuffled);
    expect(xml).toBe(toOqsXml(ordered));
    const tags = [...xml.matchAll(/<(\w+)>/g)].map((m) => m[1]);
    expect(tags.indexOf('InsurerNumber')).toBeLessThan(tags.indexOf('Name'));
    expect(tags.indexOf('Name')).toBeLessThan(tags.indexOf('NameKana'));
    expect(tags.indexOf('MessageHeader')).toBeLessThan(tags.indexOf('MessageBody'));
  });

  it('leaves optional elements out instead of writing them empty', () => {
    const xml = toOqsXml(sampleResult({ person: { Address: undefined } }));
    expect(xml).not.toContain('Address');
    expect(xml).not.toMatch(/<\w+\/>/);
  });

  it('validates before writing', () => {
    expect(() => toOqsXml(sampleResult({ person: { InsurerNumber: '123' } }))).toThrow(
      QualificationResultError,
    );
  });
});

describe('rare characters in names', () => {
  const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('hex');

  it('writes 𠮷 (a surrogate pair), 葛󠄀 (U+845B U+E0100) and 髙 as their exact UTF-8 bytes', () => {
    const bytes = Buffer.from(toOqsXml(sampleResult()), 'utf8').toString('hex');
    // 𠮷 田 U+3000 葛 VS17 髙 子, spelled out so that no conversion in the test can hide a change.
    const name = 'f0a0aeb7' + 'e794b0' + 'e38080' + 'e8919b' + 'f3a08480' + 'e9ab99' + 'e5ad90';
    expect(bytes).toContain(`${utf8('<Name>')}${name}${utf8('</Name>')}`);
    expect(bytes).toContain('e8919bf3a08480'); // 葛 followed by VARIATION SELECTOR-17
    expect(bytes).toContain('e9ab99'); // 髙, not 高 (e9ab98)
  });

  it('reads the same code points back, from text and from bytes, with nothing normalised', () => {
    const xml = toOqsXml(sampleResult());
    for (const source of [xml, new Uint8Array(Buffer.from(xml, 'utf8'))]) {
      const name = fromOqsXml(source).MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!.Name;
      expect([...name].map((c) => c.codePointAt(0)!.toString(16))).toEqual([
        '20bb7',
        '7530',
        '3000',
        '845b',
        'e0100',
        '9ad9',
        '5b50',
      ]);
    }
  });

  it('survives a round trip byte for byte', () => {
    const result = sampleResult();
    const xml = toOqsXml(result);
    const back = fromOqsXml(xml);
    expect(back).toEqual(result);
    expect(Buffer.from(toOqsXml(back), 'utf8').equals(Buffer.from(xml, 'utf8'))).toBe(true);
  });
});

describe('escaping and characters a document cannot carry', () => {
  it('escapes & and < and reads them back as written', () => {
    const address = '大阪市北区梅田1-1 A&B <3F> "西" \'棟\'';
    const xml = toOqsXml(sampleResult({ person: { Address: address } }));
    expect(xml).toContain('<Address>大阪市北区梅田1-1 A&amp;B &lt;3F&gt; "西" \'棟\'</Address>');
    expect(fromOqsXml(xml).MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!.Address).toBe(
      address,
    );
  });

  it.each([
    ['U+0001', '田中\u0001花子'],
    ['U+0009', '田中\t花子'],
    ['U+000D', '田中\r花子'],
    ['U+000A', '田中\n花子'],
    ['U+007F', '田中\u007f花子'],
    ['U+0085', '田中\u0085花子'],
    ['U+D842', '田中\ud842花子'],
    ['U+FFFE', '田中\ufffe花子'],
  ])('refuses %s in a value, naming the element and the code point but not the value', (codePoint, name) => {
    const error = refusal(() => toOqsXml(sampleResult({ person: { Name: name } })));
    expect(error.code).toBe('invalid-character');
    expect(error.message).toContain(namePath);
    expect(error.message).toContain(codePoint);
    expect(error.message).not.toContain('田中');
  });
});

describe('fromOqsXml refuses what is not a whole result document', () => {
  const xml = toOqsXml(sampleResult());

  it.each([
    ['a truncated file', xml.slice(0, xml.indexOf('</Name>')), 'malformed'],
    ['a file cut inside a tag', xml.slice(0, xml.indexOf('</Name>') + 3), 'malformed'],
    ['a mismatched end tag', xml.replace('</NameKana>', '</Name>'), 'malformed'],
    ['a second root', `${xml}<XmlMsg/>`, 'malformed'],
    ['a bare &', xml.replace('東京都', '東京&都'), 'malformed'],
    ['an undefined entity', xml.replace('東京都', '&kanji;'), 'malformed'],
    ['a DOCTYPE', xml.replace('<XmlMsg>', '<!DOCTYPE XmlMsg [<!ENTITY n "x">]>\n<XmlMsg>'), 'doctype'],
    ['a Shift_JIS declaration', xml.replace('UTF-8', 'Shift_JIS'), 'encoding'],
    ['another root element', xml.replaceAll('XmlMsg', 'Other'), 'not-a-result'],
    ['a raw control character', xml.replace('東京都', '東京\u0002都'), 'invalid-character'],
    ['a control character by reference', xml.replace('東京都', '東京&#x1;都'), 'invalid-character'],
  ])('%s', (_, text, code) => {
    expect(refusal(() => fromOqsXml(text)).code).toBe(code);
  });

  it('refuses bytes that are not UTF-8', () => {
    const bytes = Buffer.from(xml, 'utf8');
    const broken = Buffer.concat([bytes.subarray(0, 300), Buffer.from([0x82, 0xa0]), bytes.subarray(300)]);
    expect(refusal(() => fromOqsXml(new Uint8Array(broken))).code).toBe('encoding');
  });

  it('refuses a well-formed document whose content breaks the model', () => {
    expect(() => fromOqsXml(xml.replace('<InsurerNumber>06132013<', '<InsurerNumber>0613201<'))).toThrow(
      /InsurerNumber: must be 8 digits/,
    );
  });
});

describe('fromOqsXml reads what other writers produce', () => {
  it('skips elements a later OQS version adds and reads empty elements as absent', () => {
    const xml = toOqsXml(sampleResult())
      .replace('<Name>', '<FutureField>新項目</FutureField>\n        <Name>')
      .replace('<ReferenceNumber>P-000123</ReferenceNumber>', '<ReferenceNumber></ReferenceNumber>');
    const person = fromOqsXml(xml).MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
    expect(person.Name).toBe(RARE_NAME);
    expect(person.ReferenceNumber).toBeUndefined();
    expect(person).not.toHaveProperty('FutureField');
  });

  it('reads several matches as a list, in document order', () => {
    const result = sampleResult({
      body: {
        QualificationValidity: '5',
        ResultList: {
          ResultOfQualificationConfirmation: [
            samplePerson(),
            samplePerson({ InsurerNumber: '39131014', Name: '髙橋　一' }),
          ],
        },
      },
    });
    const back = fromOqsXml(toOqsXml(result));
    expect(back.MessageBody.ResultList!.ResultOfQualificationConfirmation.map((p) => p.Name)).toEqual([
      RARE_NAME,
      '髙橋　一',
    ]);
  });

  it('reads a document without indentation or declaration, and with a BOM', () => {
    const compact = toOqsXml(sampleResult())
      .replace(/^<\?xml[^>]*\?>\n/, '')
      .replace(/>\s+</g, '><');
    expect(fromOqsXml(compact)).toEqual(sampleResult());
    const withBom = new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(compact)]));
    expect(fromOqsXml(withBom)).toEqual(sampleResult());
  });
});
