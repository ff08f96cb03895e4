import { describe, expect, it } from 'vitest';
import { SCREENS, type StopCode } from '../../../src/common/ui-protocol.ts';
import type { LivenessReason } from '../../../src/face/liveness/liveness.ts';
import { QUALITY_REASONS, type QualityReason, REASON_TEXT } from '../../../src/face/reasons.ts';
import type { CameraCheckReason } from '../../../src/kiosk/face/camera-reasons.ts';
import type { CardFrontReason } from '../../../src/reception/card-front-reasons.ts';
import { FACE_REASONS, type FaceReason } from '../../../src/ui/face-reasons.ts';
import { LANGUAGES } from '../../../src/ui/languages.ts';
import { MESSAGES } from '../../../src/ui/locales/index.ts';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const texts = Object.fromEntries(LANGUAGES.map((lang) => [lang, leaves(MESSAGES[lang] as unknown as Tree)]));
const japanese = texts.ja!;
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

/** The locale section of each screen: 'card-problem' → 'cardProblem'. */
const section = (screen: string) => screen.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** Every stop code, spelled out so that a new one fails to compile here until it has a text. */
const STOP_CODES: Record<StopCode, true> = {
  'card-removed': true,
  'not-my-number-card': true,
  'card-error': true,
  'pin-blocked': true,
  'face-failed': true,
  'pinless-needs-staff': true,
  'upstream-unreachable': true,
  'upstream-refused': true,
  'registration-declined': true,
  'timed-out': true,
  'patient-exit': true,
  'kiosk-fault': true,
};

/**
 * Every code the face engine, the camera check and the card-front read can send: one the renderer
 * lacks fails to compile.
 */
type SentReason = QualityReason | LivenessReason | CameraCheckReason | CardFrontReason;
const SENT_REASONS_LISTED: [Exclude<SentReason, FaceReason>] extends [never] ? true : false = true;

describe.each(LANGUAGES)('the %s texts', (lang) => {
  const own = texts[lang]!;

  it('have exactly the Japanese keys, none empty', () => {
    expect([...own.keys()].sort()).toEqual([...japanese.keys()].sort());
    for (const [key, text] of own) expect(text.trim(), key).not.toBe('');
  });

  it('keep every placeholder of the Japanese text, and add none', () => {
    for (const [key, text] of own) expect(placeholders(text), key).toEqual(placeholders(japanese.get(key)!));
  });

  it('have a heading for every screen', () => {
    for (const screen of SCREENS) {
      const key = screen === 'idle' ? 'idle.heading' : `${section(screen)}.heading`;
      expect(own.get(key), `${screen} → ${key}`).toBeTruthy();
    }
  });

  it('explain every face reason and every stop code', () => {
    for (const reason of FACE_REASONS) expect(own.get(`reason.${reason}`)?.trim(), reason).toBeTruthy();
    for (const code of Object.keys(STOP_CODES)) expect(own.get(`stop.${code}`), code).toBeTruthy();
  });

  it('are translations, not copies of the Japanese (outside names and OK)', () => {
    if (lang === 'ja') return;
    const same = [...own].filter(([key, text]) => text === japanese.get(key) && !/OK/.test(text));
    expect(same).toEqual([]);
  });
});

describe('face reasons', () => {
  it('list every code the face engine, the camera check and the card-front read send, the quality ones included', () => {
    expect(SENT_REASONS_LISTED).toBe(true);
    expect(FACE_REASONS).toEqual(expect.arrayContaining([...QUALITY_REASONS]));
    expect(new Set(FACE_REASONS).size).toBe(FACE_REASONS.length);
  });

  it('have a text of their own for every code: none falls back to 「もう一度お試しください。」', () => {
    for (const lang of LANGUAGES) {
      for (const reason of FACE_REASONS) {
        expect(texts[lang]!.get(`reason.${reason}`), `${lang} ${reason}`).not.toBe(
          texts[lang]!.get('reason.unknown'),
        );
      }
    }
  });

  it('say left and right from the patient’s side, as they face the camera', () => {
    expect(japanese.get('reason.challenge-turn-left')).toContain('ご自分の左');
    expect(japanese.get('reason.challenge-turn-right')).toContain('ご自分の右');
    expect(texts.en!.get('reason.challenge-turn-left')).toContain('your own left');
  });

  it('say in Japanese and English exactly what the face engine says', () => {
    for (const reason of QUALITY_REASONS) {
      expect(japanese.get(`reason.${reason}`)).toBe(REASON_TEXT[reason].ja);
      expect(texts.en!.get(`reason.${reason}`)).toBe(REASON_TEXT[reason].en);
    }
  });
});

describe('the Japanese default keeps the ministry wording', () => {
  it.each([
    ['idle.heading', 'マイナンバーカードを置いてください'],
    ['idle.cover', 'カバー等は外してください'],
    ['method.face', '顔認証を行う'],
    ['method.pin', '暗証番号を入力'],
    ['method.exit', '終了する'],
    ['method.privacy', '本人確認の情報は、他の目的には使用しません。'],
    ['face.heading', '顔を枠内に入れてください。'],
    ['pin.heading', '暗証番号を入力してください。'],
    ['consent.item.medication', '過去のお薬情報'],
    ['consent.item.checkup', '過去の健診情報'],
    ['consent.agree', '同意する'],
    ['consent.decline', '同意しない'],
    ['done.heading', '{{name}}様　確認が完了しました。'],
    ['done.body', 'マイナンバーカードを取り出し、待合室でお待ちください。'],
    ['limitInfo.yes', '提供する'],
    ['limitInfo.no', '提供しない'],
    ['takeCard.heading', '受付完了後はマイナンバーカードを忘れずにお取りください！'],
    ['continue.heading', '続けますか？'],
  ])('%s', (key, text) => {
    expect(japanese.get(key)).toBe(text);
  });
});
