import { describe, expect, it } from 'vitest';
import { readDateByShapes } from '../../../src/card-front/date-glyphs.ts';
import { drawDate, drawDigits, paper } from './drawn-digits.ts';

const LINE = { x0: 20, y0: 20, x1: 560, y1: 52 };

function dated(text: string, gap = 3) {
  const plane = paper(600, 80);
  drawDate(plane, text, { x: 24, y: 20, height: 32, gap });
  return plane;
}

describe('a printed date read by its characters’ shapes', () => {
  it('reads an era date, 元年 and numbers of one digit padded with a space', () => {
    const reading = readDateByShapes(dated('令和元年11月 3日'), LINE, 'era');
    expect(reading).toMatchObject({ era: '令和', year: 1, month: 11, day: 3 });
    expect(reading?.confidence).toBeGreaterThan(0.3);
    expect(readDateByShapes(dated('昭和58年 2月28日'), LINE, 'era')).toMatchObject({
      era: '昭和',
      year: 58,
      month: 2,
      day: 28,
    });
  });

  it('reads a Gregorian year of four digits, with the line going on after the day', () => {
    const plane = dated('2031年 3月15日');
    plane.data.fill(60, 30 * 600 + 470, 30 * 600 + 520); // what follows 日 (まで有効) is left alone
    expect(readDateByShapes(plane, LINE, 'gregorian')).toMatchObject({
      era: null,
      year: 2031,
      month: 3,
      day: 15,
    });
  });

  it('reads nothing from a line that is not a date, blank paper or the wrong form', () => {
    const digits = paper(600, 80);
    drawDigits(digits, '12345678', { x: 24, y: 20, height: 32, step: 22 });
    expect(readDateByShapes(digits, LINE, 'gregorian')).toBeNull();
    expect(readDateByShapes(paper(600, 80), LINE, 'era')).toBeNull();
    expect(readDateByShapes(dated('2031年 3月15日'), LINE, 'era')).toBeNull();
  });
});
