import { describe, expect, it } from 'vitest';
import { frontClues, readFrontText } from '../../../src/card-front/front-text.ts';
import type { TextLine } from '../../../src/card-front/text-recogniser.ts';

const WIDTH = 960;

/** A line as the engine gives it: one symbol a character, spaces between words, a box. */
function line(
  text: string,
  x0: number,
  y0: number,
  sure: number | ((ch: string) => number) = 0.97,
): TextLine {
  const chars = [...text];
  return {
    text: text.replace(/\s/g, ''),
    symbols: chars
      .filter((c) => c.trim() !== '')
      .map((c) => ({ text: c, confidence: typeof sure === 'number' ? sure : sure(c) })),
    box: { x0, y0, x1: x0 + chars.length * 24, y1: y0 + 30 },
  };
}

const front = (
  overrides: Partial<Record<'name' | 'birth' | 'valid' | 'code' | 'title', TextLine | null>> = {},
) =>
  [
    overrides.name ?? line('氏名 番号 花子', 30, 40),
    overrides.birth ?? line('昭和 55 年 2 月 17 日 生', 420, 100),
    line('住所 東京都千代田区霞が関1丁目2番3号', 30, 180),
    line('性別 女', 30, 400),
    overrides.valid ?? line('2035 年 2 月 17 日 まで 有効', 40, 460),
    overrides.code === null ? null : (overrides.code ?? line('2285', 780, 560)),
    overrides.title === null ? null : (overrides.title ?? line('個人番号カード', 30, 560)),
  ].filter((l): l is TextLine => l !== null);

describe('the three facts of a card front, from its text lines', () => {
  it('reads the era birth date, the validity and the code under the photo', () => {
    const result = readFrontText(front(), WIDTH);
    expect(result.ok).toBe(true);
    expect(result.ok && result.read).toEqual({
      birth: { era: '昭和', year: 55, month: 2, day: 17 },
      validUntil: { year: 2035, month: 2, day: 17 },
      securityCode: '2285',
      confidence: { birth: 0.97, validUntil: 0.97, securityCode: 0.97 },
    });
    // Each field names the line it came from, for a closer second reading.
    expect(result.ok && result.lines.securityCode.text).toBe('2285');
    expect(result.ok && result.lines.birth.text).toBe('昭和55年2月17日生');
  });

  it('reads 元年 as year 1 and full-width digits as digits', () => {
    const result = readFrontText(front({ birth: line('平成元年 １月 ８日生', 420, 100) }), WIDTH);
    expect(result.ok && result.read.birth).toEqual({ era: '平成', year: 1, month: 1, day: 8 });
  });

  it('takes an era year read as 「1」 for a misread: the card prints the first year 元年', () => {
    // A blurred 「平成11年」 read 「平成1年」 would otherwise be a real date of another holder.
    const result = readFrontText(front({ birth: line('平成1年 5月 4日生', 420, 100) }), WIDTH);
    expect(result).toEqual({ ok: false, problem: 'birth-unread' });
  });

  it('takes a misread 年・月・日 as a separator but only the digits and era as the confidence', () => {
    const misread = line('2035年2月17晶まで有効', 40, 460, (c) =>
      c === '晶' ? 0.3 : c === '7' ? 0.91 : 0.99,
    );
    const result = readFrontText(front({ valid: misread }), WIDTH);
    expect(result.ok && result.read.validUntil).toEqual({ year: 2035, month: 2, day: 17 });
    expect(result.ok && result.read.confidence.validUntil).toBe(0.91);
  });

  it('takes 年 read as two characters (serif 年 as 人年) for one separator, never a Latin letter', () => {
    const split = readFrontText(front({ valid: line('2035人年3月17日まで有効', 40, 460) }), WIDTH);
    expect(split.ok && split.read.validUntil).toEqual({ year: 2035, month: 3, day: 17 });
    // 「5S」 may be 58 misread: no year 5 out of it.
    const letter = readFrontText(front({ birth: line('昭和5S年2月17日生', 420, 100) }), WIDTH);
    expect(letter).toEqual({ ok: false, problem: 'birth-unread' });
  });

  it('reports the least sure digit of a field as its confidence', () => {
    const code = line('2285', 780, 560, (c) => (c === '5' ? 0.42 : 0.99));
    const result = readFrontText(front({ code }), WIDTH);
    expect(result.ok && result.read.confidence.securityCode).toBe(0.42);
  });

  it('reads a Gregorian birth date of the next-generation card as era null', () => {
    const result = readFrontText(
      front({ birth: line('1980年 2月17日生', 420, 100), title: line('マイナンバーカード', 30, 560) }),
      WIDTH,
    );
    expect(result.ok && result.read.birth).toEqual({ era: null, year: 1980, month: 2, day: 17 });
  });

  it('tells the back of the card, and keeps nothing of the My Number on it', () => {
    const back = [
      line('個人番号 1234 5678 9018', 60, 60),
      line('氏名 番号 花子', 60, 200),
      line('生年月日 昭和55年2月17日生', 60, 260),
    ];
    const result = readFrontText(back, WIDTH);
    expect(result).toEqual({ ok: false, problem: 'card-back' });
    expect(JSON.stringify(result)).not.toContain('1234');
  });

  it('tells another card (no 個人番号カード) even when it carries dates', () => {
    const licence = front({ title: line('運転免許証', 30, 20) });
    expect(readFrontText(licence, WIDTH)).toEqual({ ok: false, problem: 'other-card' });
  });

  it('refuses to choose between two four-digit lines under the photo', () => {
    const lines = [...front(), line('4417', 800, 300)];
    expect(readFrontText(lines, WIDTH)).toEqual({ ok: false, problem: 'security-code-ambiguous' });
  });

  it('does not take a four-digit number on the left (an address) for the code', () => {
    const lines = [...front({ code: null }), line('1234', 100, 240)];
    expect(readFrontText(lines, WIDTH)).toEqual({ ok: false, problem: 'security-code-unread' });
  });

  it('names the field it could not read', () => {
    expect(readFrontText(front({ birth: line('昭和 5S 年 2 月 17 日 生', 420, 100) }), WIDTH)).toEqual({
      ok: false,
      problem: 'birth-unread',
    });
    expect(readFrontText(front({ valid: line('2035 年 2 月', 40, 460) }), WIDTH)).toEqual({
      ok: false,
      problem: 'valid-until-unread',
    });
    expect(readFrontText([], WIDTH)).toEqual({ ok: false, problem: 'no-text' });
  });

  it('counts the clues of a front or a back, which tell which way up reads it', () => {
    expect(frontClues(front())).toEqual({ title: true, birth: true, validUntil: true, back: false });
    expect(frontClues([line('ﾄﾞｰｶ号番人個', 30, 30)])).toEqual({
      title: false,
      birth: false,
      validUntil: false,
      back: false,
    });
    expect(frontClues([line('1234 5678 9012', 60, 110)])).toMatchObject({ title: false, back: true });
  });
});
