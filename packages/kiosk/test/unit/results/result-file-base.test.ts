import { sampleResult } from '@myna/devtools/test-support/sample-result.js';
import { describe, expect, it } from 'vitest';
import { resultFileBase } from '../../../src/results/result-folder.ts';

/** The header field as real documents carry it: opaque text, or absent. */
function named(id: string | undefined, time = '20250401093015'): string {
  const result = sampleResult({ header: { ProcessExecutionTime: time } });
  const { ArbitraryFileIdentifier: _, ...header } = result.MessageHeader;
  return resultFileBase({
    ...result,
    MessageHeader: id === undefined ? header : { ...header, ArbitraryFileIdentifier: id },
  });
}

/** Safe on every file system the share may be (ext4, NTFS through Samba): no separator, no dot-name. */
const SAFE = /^\d{14}_\d{10}_[a-z0-9][a-z0-9-]*$/;

describe('resultFileBase', () => {
  it('keeps a plain id as it is, after the time and the clinic', () => {
    expect(named('kiosk01-000042')).toBe('20250401093015_1312345678_kiosk01-000042');
  });

  it.each([
    ['a path separator', '/'],
    ['a climb out of the folder', '..'],
    ['a path that climbs', '../../etc/passwd'],
    ['base64 padding', 'QUJDRA=='],
    ['base64 with + and /', 'a+b/c=='],
    ['a Windows separator and a drive', 'C:\\x'],
    ['an underscore (the name separator)', 'a_b'],
    ['a dot-name', '.hidden'],
    ['a control character and a space', 'a\u0000 b'],
    ['Japanese text', '受付番号１'],
    ['a very long id', 'x'.repeat(5_000)],
  ])('makes a safe name of %s', (_what, id) => {
    const base = named(id);
    expect(base).toMatch(SAFE);
    expect(base.length).toBeLessThanOrEqual(14 + 1 + 10 + 1 + 40);
  });

  it('keeps ids apart that differ only in case or punctuation (a case-blind share would merge them)', () => {
    const bases = ['QUJD', 'qujd', 'QUJD=', 'QUJD==', 'qu/jd', 'qu+jd', 'qu_jd', 'qu-jd'].map((id) =>
      named(id),
    );
    expect(new Set(bases.map((b) => b.toLowerCase())).size).toBe(bases.length);
  });

  it('names the same opaque id the same way each time, with its letters still readable', () => {
    expect(named('AbC=')).toBe(named('AbC='));
    expect(named('AbC=')).toMatch(/_abc-[0-9a-f]{12}$/);
  });

  it('gives results without an id (or an empty one) a name of their own each', () => {
    const bases = [named(undefined), named(undefined), named('')];
    for (const base of bases) expect(base).toMatch(SAFE);
    expect(new Set(bases).size).toBe(3);
  });

  it('sorts by the time OQS stamped the result, whatever the id', () => {
    const late = named('zzz', '20250401100000');
    const early = named('..', '20250401090000');
    const earliest = named(undefined, '20241231235959');
    expect([late, early, earliest].sort()).toEqual([earliest, early, late]);
  });
});
