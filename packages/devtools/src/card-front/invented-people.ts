/**
 * Invented holders for the synthetic cards: common name parts and public place names put together
 * at random, with random block numbers. No list here describes a real person.
 */
import type { Random } from './random.ts';

const FAMILY = [
  '佐藤',
  '鈴木',
  '高橋',
  '田中',
  '伊藤',
  '渡辺',
  '山本',
  '中村',
  '小林',
  '加藤',
  '吉田',
  '山田',
  '佐々木',
  '山口',
  '松本',
  '井上',
  '木村',
  '林',
  '清水',
  '山崎',
  '森',
  '池田',
  '橋本',
  '阿部',
  // Variant and rare characters the reader's font path must survive.
  '𠮷田',
  '髙橋',
  '齋藤',
  '渡邉',
  '長谷川',
  '五十嵐',
  '小野寺',
  '東海林',
];

const GIVEN = [
  '花子',
  '太郎',
  '健一',
  '陽子',
  '翔太',
  '美咲',
  '大輔',
  '直美',
  '一',
  '恵',
  '誠',
  '由美子',
  '蓮',
  '結衣',
  '悠真',
  '陽葵',
  '湊',
  '凛',
  '和子',
  '清',
  'ハル',
  'さくら',
  '勝',
  'トメ',
];

const PLACES = [
  '東京都千代田区霞が関',
  '東京都港区芝浦',
  '東京都世田谷区三軒茶屋',
  '神奈川県横浜市中区山下町',
  '大阪府大阪市北区中之島',
  '京都府京都市左京区岡崎',
  '愛知県名古屋市中区丸の内',
  '北海道札幌市中央区大通西',
  '福岡県福岡市博多区博多駅前',
  '宮城県仙台市青葉区一番町',
  '広島県広島市中区大手町',
  '沖縄県那覇市久茂地',
  '埼玉県さいたま市浦和区高砂',
  '千葉県千葉市中央区富士見',
  '兵庫県神戸市中央区加納町',
  '新潟県新潟市中央区古町通',
];

const BUILDINGS = ['コーポ桜', 'ハイツ緑ヶ丘', 'メゾン若葉', 'グランドパレス', 'サンハイム', '第二青葉荘'];

const FULL_WIDTH_DIGITS = '０１２３４５６７８９';

export function inventedName(random: Random): string {
  return `${random.pick(FAMILY)}\u3000${random.pick(GIVEN)}`;
}

/** One or two lines; digits half- or full-width, as municipal offices print either. */
export function inventedAddress(random: Random): string[] {
  const block = `${random.int(1, 9)}丁目${random.int(1, 30)}番${random.int(1, 25)}号`;
  const lines = [`${random.pick(PLACES)}${block}`];
  if (random.chance(0.4)) lines.push(`${random.pick(BUILDINGS)}${random.int(1, 12)}0${random.int(1, 9)}号室`);
  return random.chance(0.5) ? lines.map(fullWidthDigits) : lines;
}

export function fullWidthDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => FULL_WIDTH_DIGITS[Number(d)]!);
}
