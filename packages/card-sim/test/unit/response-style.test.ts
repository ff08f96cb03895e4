import { JPKI } from '@myna/card/spec.js';
import { describe, expect, it } from 'vitest';
import { card, readAll, selectApp, selectEf, send, sw } from './card-helpers.ts';

describe("responseStyle 'get-response'", () => {
  it('answers 61 xx and hands the data out through GET RESPONSE, 61 xx while more remains', () => {
    const reference = card();
    sw(reference, selectApp('jpki'));
    sw(reference, selectEf(JPKI.ef.authCertificate));
    const file = readAll(reference);

    const c = card('middle-aged', { responseStyle: 'get-response' });
    expect(sw(c, selectApp('jpki'))).toBe('9000');
    sw(c, selectEf(JPKI.ef.authCertificate));
    expect(send(c, '00B0000010')).toEqual({ data: Buffer.alloc(0), sw: '6110' });
    expect(send(c, '00C0000010')).toEqual({ data: file.subarray(0, 16), sw: '9000' });
    expect(sw(c, '00C0000010')).toBe('6985');

    // Extended read of the whole file: 61 00 (256 or more), then chunks until 9000.
    expect(sw(c, '00B00000000000')).toBe('6100');
    const parts: Buffer[] = [];
    let r = send(c, '00C0000000');
    parts.push(r.data);
    while (r.sw.startsWith('61')) {
      r = send(c, `00C00000${r.sw.slice(2)}`);
      parts.push(r.data);
    }
    expect(r.sw).toBe('9000');
    expect(Buffer.concat(parts)).toEqual(file);
  });

  it('a command other than GET RESPONSE discards the pending data', () => {
    const c = card('middle-aged', { responseStyle: 'get-response' });
    sw(c, selectApp('jpki'));
    sw(c, selectEf(JPKI.ef.tokenInfo));
    expect(sw(c, '00B0000020')).toBe('6120');
    sw(c, selectEf(JPKI.ef.tokenInfo));
    expect(sw(c, '00C0000020')).toBe('6985');
  });

  it('status-only answers stay as they are', () => {
    const c = card('middle-aged', { responseStyle: 'get-response' });
    sw(c, selectApp('jpki'));
    sw(c, selectEf(JPKI.ef.authPin));
    expect(sw(c, '00200080')).toBe('63C3');
  });
});

describe('exactLe', () => {
  it('answers 6C xx when a short Le asks for more than the file has left', () => {
    const c = card('middle-aged', { exactLe: true });
    sw(c, selectApp('jpki'));
    sw(c, selectEf(JPKI.ef.tokenInfo));
    expect(sw(c, '00B0000000')).toBe('6CA0');
    expect(send(c, '00B00000A0').data.length).toBe(0xa0);
    expect(sw(c, '00B0009000')).toBe('6C10');
    expect(send(c, '00B0009010').sw).toBe('9000');
    // Extended Le is exempt: the short read comes back.
    expect(send(c, '00B00000000000').data.length).toBe(0xa0);
  });

  it('combined with get-response: GET RESPONSE with too large an Le answers 6C xx', () => {
    const c = card('middle-aged', { exactLe: true, responseStyle: 'get-response' });
    sw(c, selectApp('jpki'));
    sw(c, selectEf(JPKI.ef.tokenInfo));
    expect(sw(c, '00B00000A0')).toBe('61A0');
    expect(sw(c, '00C0000000')).toBe('6CA0');
    expect(send(c, '00C00000A0').data.length).toBe(0xa0);
  });
});

describe('extendedLength: false', () => {
  it('refuses every extended APDU with 6700 and still serves short ones', () => {
    const c = card('middle-aged', { extendedLength: false });
    expect(c.extendedLength).toBe(false);
    sw(c, selectApp('jpki'));
    sw(c, selectEf(JPKI.ef.tokenInfo));
    expect(sw(c, '00B00000000000')).toBe('6700');
    expect(sw(c, '00A4020C0000020006')).toBe('6700');
    expect(sw(c, '00B0000010')).toBe('9000');
  });
});
