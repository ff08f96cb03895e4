import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { cardFrontReader } from '../../../src/card-front/card-front-reader.ts';
import { CODE_ALPHABET } from '../../../src/card-front/front-text.ts';
import type { GreyPlane } from '../../../src/card-front/perspective.ts';
import type { TextLine, TextRecogniser } from '../../../src/card-front/text-recogniser.ts';
import { drawDate, drawDigits, paper, scanOf } from './drawn-digits.ts';

/** A scan of a blank card (the reader takes a card-shaped image for the card itself). */
function blankCardScan(): Uint8Array {
  const png = new PNG({ width: 856, height: 540 });
  png.data.fill(230);
  return PNG.sync.write(png);
}

/** A card-shaped scan at the flat card's size, with dark boxes put on its paper. */
function cardScan(
  draw: (put: (x0: number, y0: number, x1: number, y1: number, value: number) => void) => void,
) {
  const png = new PNG({ width: 960, height: 606 });
  png.data.fill(230);
  draw((x0, y0, x1, y1, value) => {
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) png.data.fill(value, (y * 960 + x) * 4, (y * 960 + x) * 4 + 3);
  });
  return PNG.sync.write(png);
}

function line(text: string, x0: number, y0: number, sure = 0.97): TextLine {
  const chars = [...text];
  return {
    text,
    symbols: chars.map((c) => ({ text: c, confidence: sure })),
    box: { x0, y0, x1: x0 + chars.length * 24, y1: y0 + 30 },
  };
}

/** The engine as a script: what the page reads, and what each closer reading of a line reads. */
function scripted(page: TextLine[], closer: (box: TextLine['box'], alphabet: string) => TextLine | null) {
  const asked: string[] = [];
  const engine: TextRecogniser = {
    lines: async () => page,
    line: async (_image, box, alphabet) => {
      asked.push(alphabet);
      return closer(box, alphabet);
    },
    close: async () => {},
  };
  return { engine, asked };
}

const page = (code: TextLine) => [
  line('昭和55年2月17日生', 420, 100),
  line('2035年2月17日まで有効', 40, 460),
  code,
  line('個人番号カード', 30, 560),
];

/** A flat card with its photo and a birth date printed from the prototypes, right of the name. */
function birthPrinted(date: string) {
  const printed = paper(960, 606);
  for (let y = 100; y < 340; y++) printed.data.fill(60, y * 960 + 760, y * 960 + 940);
  drawDate(printed, date, { x: 620, y: 50, height: 30, gap: 3 });
  return printed;
}

describe('reading a field again when the first reading is unsure', () => {
  it('raises the confidence of a field that a second, closer reading confirms', async () => {
    const { engine, asked } = scripted(page(line('2285', 780, 560, 0.6)), (box) =>
      line('2285', box.x0, box.y0, 0.95),
    );
    const reader = await cardFrontReader(engine);
    const outcome = await reader.read(blankCardScan());
    expect(outcome.ok && outcome.read.securityCode).toBe('2285');
    // Two readings alike, 0.6 and 0.95: surer than either.
    expect(outcome.ok && outcome.read.confidence.securityCode).toBe(0.98);
    // Only the unsure field, with only digits allowed.
    expect(asked).toEqual(['0123456789']);
  });

  it('keeps a field doubtful when the second reading says otherwise', async () => {
    const { engine } = scripted(page(line('2285', 780, 560, 0.6)), (box) =>
      line('2286', box.x0, box.y0, 0.99),
    );
    const reader = await cardFrontReader(engine);
    const outcome = await reader.read(blankCardScan());
    expect(outcome.ok && outcome.read.confidence.securityCode).toBeLessThanOrEqual(0.6);
  });

  it('reads again a field only just past the gate, and refuses it when the second reading differs', async () => {
    // A serif 昭和45年 read 35 at 0.92: past the gate's 0.9 on one reading alone.
    const borderline = [line('昭和35年2月17日生', 420, 100, 0.92), ...page(line('2285', 780, 560)).slice(1)];
    const { engine, asked } = scripted(borderline, (box, alphabet) =>
      alphabet.includes('年')
        ? line('昭和45年2月17日生', box.x0, box.y0, 0.96)
        : line('2285', box.x0, box.y0),
    );
    const reader = await cardFrontReader(engine);
    const outcome = await reader.read(blankCardScan());
    expect(outcome.ok && outcome.read.confidence.birth).toBe(0);
    expect(asked).toHaveLength(2);
  });

  it('reads a date line that did not parse again, with only the date characters', async () => {
    const garbled = [
      line('昭和55年2月17日生', 420, 100),
      line('2035年月17日まで', 40, 460),
      line('2285', 780, 560),
      line('個人番号カード', 30, 560),
    ];
    const { engine, asked } = scripted(garbled, (box, alphabet) =>
      alphabet.includes('年') ? line('2035年2月17日まで有効', box.x0, box.y0, 0.96) : null,
    );
    const reader = await cardFrontReader(engine);
    const outcome = await reader.read(blankCardScan());
    expect(outcome.ok && outcome.read.validUntil).toEqual({ year: 2035, month: 2, day: 17 });
    expect(asked[0]).toContain('年');
  });

  it('counts a line the page could not read only when two closer cuts of it read alike', async () => {
    // The page saw five digits under the photo; given only digits, each cut makes four or five of them.
    const cuts = ['3095', '43095'];
    const { engine, asked } = scripted(page(line('34095', 780, 560, 0.5)), (box, alphabet) =>
      alphabet === '0123456789' ? line(cuts.shift() ?? '3095', box.x0, box.y0, 0.97) : null,
    );
    const reader = await cardFrontReader(engine);
    const outcome = await reader.read(blankCardScan());
    expect(outcome.ok && outcome.read.securityCode).toBe('3095');
    // Refused at any threshold, and not read a third time into agreement.
    expect(outcome.ok && outcome.read.confidence.securityCode).toBe(0);
    expect(asked).toEqual(['0123456789', '0123456789']);
  });

  it('reads a title that did not read again, with only the titles’ characters', async () => {
    const misread = [...page(line('2285', 780, 560)).slice(0, 3), line('個人番号力一ド', 30, 560)];
    const { engine, asked } = scripted(misread, (box, alphabet) =>
      alphabet.includes('カ') ? line('個人番号カード', box.x0, box.y0) : null,
    );
    const reader = await cardFrontReader(engine);
    const outcome = await reader.read(blankCardScan());
    expect(outcome.ok && outcome.read.securityCode).toBe('2285');
    // Two cuts of the line, read alike; then the code, which is always looked at twice.
    expect(asked).toEqual(['個人番号カードマイナンバ', '個人番号カードマイナンバ', '0123456789']);
  });

  it('reads the code again even when the page was sure of it, and refuses it when the two differ', async () => {
    // Nothing on the card checks the code's digits: a 4 the engine read as a sure 3 would cost a try.
    const { engine, asked } = scripted(page(line('3756', 780, 560, 0.98)), (box) =>
      line('4756', box.x0, box.y0, 0.97),
    );
    const reader = await cardFrontReader(engine);
    const outcome = await reader.read(blankCardScan());
    expect(outcome.ok && outcome.read.confidence).toEqual({ birth: 0.97, validUntil: 0.97, securityCode: 0 });
    expect(asked).toEqual(['0123456789']);
  });

  it('reads the code from the line under the photo when the page did not see it', async () => {
    const card = cardScan((put) => {
      put(760, 100, 940, 340, 60); // the photo
      for (let x = 790; x < 850; x += 15) put(x, 400, x + 10, 416, 40); // four digits under it
    });
    const noCode = page(line('2285', 780, 560)).filter((l) => l.text !== '2285');
    const { engine, asked } = scripted(noCode, (box, alphabet) =>
      alphabet === '0123456789' && box.y0 > 380 && box.y1 < 440 ? line('2285', box.x0, box.y0) : null,
    );
    const reader = await cardFrontReader(engine);
    const outcome = await reader.read(card);
    expect(outcome.ok && outcome.read.securityCode).toBe('2285');
    expect(outcome.ok && outcome.read.confidence.securityCode).toBeGreaterThanOrEqual(0.9);
    expect(asked.every((alphabet) => alphabet === '0123456789')).toBe(true);
  });

  it('reads a rescued line no third time: its two cuts, alike, are the field’s two readings', async () => {
    const card = cardScan((put) => {
      put(760, 100, 940, 340, 60);
      for (let x = 790; x < 850; x += 15) put(x, 400, x + 10, 416, 40);
    });
    const noCode = page(line('2285', 780, 560)).filter((l) => l.text !== '2285');
    const sureness = [0.8, 0.9, 0.99];
    const { engine, asked } = scripted(noCode, (box, alphabet) =>
      alphabet === '0123456789' ? line('2285', box.x0, box.y0, sureness.shift()) : null,
    );
    const reader = await cardFrontReader(engine);
    const outcome = await reader.read(card);
    expect(asked).toEqual(['0123456789', '0123456789']);
    // 1 − 0.2 × 0.1: the two cuts, each counted once.
    expect(outcome.ok && outcome.read.confidence.securityCode).toBe(0.98);
  });

  it('does not look for the code under the photo again where two closer cuts already disagreed', async () => {
    const card = cardScan((put) => {
      put(760, 100, 940, 340, 60);
      for (let x = 790; x < 850; x += 15) put(x, 400, x + 10, 416, 40);
    });
    const misread = [
      ...page(line('2285', 780, 560)).filter((l) => l.text !== '2285'),
      line('S328', 790, 396, 0.9),
    ];
    const cuts = ['368', '35328'];
    const { engine, asked } = scripted(misread, (box, alphabet) =>
      alphabet === '0123456789' ? line(cuts.shift() ?? '5328', box.x0, box.y0) : null,
    );
    const reader = await cardFrontReader(engine);
    expect(await reader.read(card)).toMatchObject({ ok: false, problem: 'security-code-unread' });
    expect(asked).toEqual(['0123456789', '0123456789']);
  });

  it('takes the code’s digits seen by their shapes as its second reading, and a page’s misread of them only as a closer look confirms', async () => {
    // The card shows 4756 under the photo; alike, the page's 0.98 and the shapes' 0.9 make 1 − 0.02 × 0.1.
    const printed = paper(960, 606);
    for (let y = 100; y < 340; y++) printed.data.fill(60, y * 960 + 760, y * 960 + 940);
    drawDigits(printed, '4756', { x: 790, y: 398, height: 24, step: 21 });
    const scan = () => scanOf(printed);
    for (const [pageSaw, closer, code, sure, looks] of [
      // The shapes say it: no closer look.
      ['4756', '4756', '4756', 1, 0],
      // The page dropped the first digit's stroke: the shapes and a closer look read 4756.
      ['3756', '4756', '4756', 1, 1],
      // A closer look reads what the page did, not the shapes: refused.
      ['3756', '3756', '3756', 0, 1],
    ] as const) {
      const { engine, asked } = scripted(page(line(pageSaw, 790, 396, 0.98)), (box) =>
        line(closer, box.x0, box.y0, 0.97),
      );
      const outcome = await (await cardFrontReader(engine)).read(scan());
      expect(outcome.ok && outcome.read.securityCode).toBe(code);
      expect(outcome.ok && outcome.read.confidence.securityCode).toBe(sure);
      expect(asked).toHaveLength(looks);
    }
  });

  it('settles a code two cuts read differently by its digits’ shapes', async () => {
    const printed = paper(960, 606);
    for (let y = 100; y < 340; y++) printed.data.fill(60, y * 960 + 760, y * 960 + 940);
    drawDigits(printed, '2285', { x: 790, y: 398, height: 24, step: 21 });
    const noCode = page(line('2285', 780, 560)).filter((l) => l.text !== '2285');
    // Either cut may be the one that dropped a digit.
    for (const order of [
      ['2285', '285'],
      ['285', '2285'],
    ]) {
      const cuts = [...order];
      const { engine, asked } = scripted(noCode, (box, alphabet) =>
        alphabet === '0123456789' ? line(cuts.shift() ?? '2285', box.x0, box.y0, 0.8) : null,
      );
      const outcome = await (await cardFrontReader(engine)).read(scanOf(printed));
      expect(outcome.ok && outcome.read.securityCode).toBe('2285');
      // The right cut's 0.8 and the shapes' 0.9.
      expect(outcome.ok && outcome.read.confidence.securityCode).toBe(0.98);
      expect(asked).toHaveLength(2);
    }
  });

  it('takes a date whose second reading drops a digit past its year, when the other date has its month and day', async () => {
    const unsureBirth = (validity: string) => [
      line('令和5年11月25日生', 420, 100, 0.9),
      line(validity, 40, 460),
      line('2285', 780, 560),
      line('個人番号カード', 30, 560),
    ];
    const cases = [
      // The year agrees, the other date says 11月25日: 1 − 0.1 × 0.03, capped by the other date's 0.97.
      { validity: '2028年11月25日まで有効', again: '令和5年月25日生', birth: 0.97 },
      // The second reading's year differs.
      { validity: '2028年11月25日まで有効', again: '令和6年月25日生', birth: 0 },
      // The other date's day is not the birth's: nothing confirms the month and day.
      { validity: '2028年11月26日まで有効', again: '令和5年月25日生', birth: 0 },
    ];
    for (const { validity, again, birth } of cases) {
      const { engine } = scripted(unsureBirth(validity), (box, alphabet) =>
        line(alphabet.includes('年') ? again : '2285', box.x0, box.y0),
      );
      const outcome = await (await cardFrontReader(engine)).read(blankCardScan());
      expect(outcome.ok && outcome.read.confidence.birth).toBe(birth);
    }
  });

  it('takes a date’s characters seen by their shapes as its second reading, and refuses a sure misread by them', async () => {
    const printed = birthPrinted('令和元年11月 3日');
    for (const [pageSaw, expected] of [
      ['令和元年11月3日生', 1],
      ['令和元年11月5日生', 0],
    ] as const) {
      const { engine, asked } = scripted(
        [line(pageSaw, 620, 50, 0.97), ...page(line('2285', 780, 560)).slice(1)],
        (box) => line('2285', box.x0, box.y0),
      );
      const outcome = await (await cardFrontReader(engine)).read(scanOf(printed));
      expect(outcome.ok && outcome.read.confidence.birth).toBe(expected);
      // The engine is asked again for the code only: the shapes said it of the date either way.
      expect(asked).toEqual(['0123456789']);
    }
  });

  it('takes a date the engine made nothing of from its shapes alone, only when the other date has its month and day', async () => {
    const printed = birthPrinted('令和元年11月 3日');
    for (const [validity, birth] of [
      ['2030年11月3日まで有効', 0.9],
      ['2030年11月4日まで有効', 0],
    ] as const) {
      const noBirth = [line(validity, 40, 460), line('2285', 780, 560), line('個人番号カード', 30, 560)];
      const { engine } = scripted(noBirth, (box, alphabet) =>
        alphabet.includes('年') ? null : line('2285', box.x0, box.y0),
      );
      const outcome = await (await cardFrontReader(engine)).read(scanOf(printed));
      expect(outcome.ok && outcome.read.birth).toEqual({ era: '令和', year: 1, month: 11, day: 3 });
      expect(outcome.ok && outcome.read.confidence.birth).toBe(birth);
    }
  });

  it('reads the title alone where the page read it as one line with the card’s edge below it', async () => {
    const card = cardScan((put) => {
      put(760, 100, 940, 340, 60); // the photo
      for (let x = 40; x < 330; x += 46) put(x, 522, x + 40, 564, 40); // the title
    });
    const misread = [...page(line('2285', 780, 560)).slice(0, 3), line('人因ヘスカード', 10, 505)];
    const { engine } = scripted(misread, (box, alphabet) => {
      if (alphabet.includes('カ'))
        return box.y0 > 500 && box.y1 < 590 ? line('個人番号カード', box.x0, box.y0) : null;
      return alphabet.includes('年') ? null : line('2285', box.x0, box.y0);
    });
    const outcome = await (await cardFrontReader(engine)).read(card);
    expect(outcome.ok && outcome.read.securityCode).toBe('2285');
  });

  it('reads the validity date from its line on the left when the page did not see it', async () => {
    const card = cardScan((put) => {
      put(760, 100, 940, 340, 60); // the photo
      for (let x = 60; x < 330; x += 20) put(x, 300, x + 14, 324, 40); // the validity line
    });
    const noValidity = page(line('2285', 780, 560)).filter((l) => !l.text.includes('有効'));
    const { engine, asked } = scripted(noValidity, (box, alphabet) =>
      alphabet.includes('年') && box.y0 > 280 && box.y1 < 345
        ? line('2035年2月17日まで有効', box.x0, box.y0)
        : null,
    );
    const outcome = await (await cardFrontReader(engine)).read(card);
    expect(outcome.ok && outcome.read.validUntil).toEqual({ year: 2035, month: 2, day: 17 });
    // Two cuts of the line, read alike.
    expect(asked.filter((alphabet) => alphabet.includes('年'))).toHaveLength(2);
  });

  it('reads the page with the fields’ lines alone, and whole only when those show no title', async () => {
    // A name and an address in print, away from the fields' lines.
    const card = cardScan((put) => {
      put(760, 100, 940, 340, 60); // the photo
      for (let x = 100; x < 500; x += 40) put(x, 40, x + 34, 76, 40); // the name
      for (let x = 40; x < 620; x += 24) put(x, 130, x + 20, 152, 40); // the address
    });
    // Either way up.
    const named = (image: GreyPlane) =>
      image.data[50 * 960 + 110]! < 100 || image.data[555 * 960 + 849]! < 100;
    const pageReads = (reads: (image: GreyPlane) => TextLine[]) => {
      const shown: boolean[] = [];
      const engine: TextRecogniser = {
        lines: async (image) => {
          shown.push(named(image));
          return reads(image);
        },
        line: async (_image, box, alphabet) =>
          alphabet === CODE_ALPHABET ? line('2285', box.x0, box.y0) : null,
        close: async () => {},
      };
      return { engine, shown };
    };
    const front = pageReads(() => page(line('2285', 780, 560)));
    const outcome = await (await cardFrontReader(front.engine)).read(card);
    expect(outcome.ok && outcome.read.securityCode).toBe('2285');
    expect(front.shown).toEqual([false]);
    // The back's number lies where the page is painted over: the page is read whole once the
    // fields' lines showed no title either way up, and that way up shows the number.
    const back = pageReads((image) => (named(image) ? [line('123456789012', 100, 40)] : []));
    expect(await (await cardFrontReader(back.engine)).read(card)).toMatchObject({
      ok: false,
      problem: 'card-back',
    });
    expect(back.shown).toEqual([false, false, true]);
    // A back the photo's side would put upside down shows its number only turned: that way stands.
    const turned = (image: GreyPlane) => image.data[555 * 960 + 849]! < 100;
    const upsideDown = pageReads((image) =>
      turned(image) ? [line('123456789012', 100, 40)] : [line('生日8と卓', 100, 40)],
    );
    expect(await (await cardFrontReader(upsideDown.engine)).read(card)).toMatchObject({
      ok: false,
      problem: 'card-back',
      upsideDown: true,
    });
  });

  it('says what an unreadable file is, and what a blank card is', async () => {
    const { engine } = scripted([], () => null);
    const reader = await cardFrontReader(engine);
    expect(await reader.read(new TextEncoder().encode('not an image'))).toMatchObject({
      ok: false,
      problem: 'not-an-image',
    });
    expect(await reader.read(blankCardScan())).toMatchObject({ ok: false, problem: 'no-text' });
  });
});
