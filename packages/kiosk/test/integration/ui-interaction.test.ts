/**
 * What the patient does on the screens, in Chromium: the commands each touch sends, the language
 * and voice choices that end with the visit, the masked PIN, the 続けますか？ prompt, the take-card
 * reminder that grows louder, and nothing left behind in browser storage or the console.
 */

import { chromiumMissing, launchChromium } from '@myna/devtools/preview/chromium.js';
import type { FakeBridgePage } from '@myna/devtools/preview/fake-bridge.js';
import { PreviewPage } from '@myna/devtools/preview/preview-page.js';
import { previewProfile } from '@myna/devtools/preview/render-screen.js';
import { SAMPLE_NAME, sampleView } from '@myna/devtools/preview/sample-views.js';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ViewState } from '../../src/common/ui-protocol.ts';
import { builtRenderer } from '../../src/shell/browser-scripts.ts';

const skip = chromiumMissing();
if (skip) console.warn(`skipping the patient-interaction tests in Chromium: ${skip}`);

/**
 * Probes put in the page before the renderer: a speech engine with a Japanese and an English voice
 * that records what it is asked to say, a count of the tones the chime makes, and a count of every
 * write to browser storage.
 */
const PROBES = `
window.probe = { spoken: [], cancels: 0, tones: 0, storageWrites: 0 };
const voices = [{ lang: 'ja-JP', name: 'test ja' }, { lang: 'en-US', name: 'test en' }];
Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
  speak(u) { probe.spoken.push({ text: u.text, lang: u.lang }); },
  cancel() { probe.cancels += 1; },
  getVoices() { return voices; },
  addEventListener() {},
} });
window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.voice = null; this.rate = 1; };
const createOscillator = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () { probe.tones += 1; return createOscillator.call(this); };
const setItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (...args) { probe.storageWrites += 1; return setItem.apply(this, args); };
const openDb = indexedDB.open.bind(indexedDB);
indexedDB.open = (...args) => { probe.storageWrites += 1; return openDb(...args); };
`;

interface Probe {
  spoken: { text: string; lang: string }[];
  cancels: number;
  tones: number;
  storageWrites: number;
}

declare const probe: Probe;
declare const document: {
  activeElement: { tagName: string } | null;
  querySelector(selector: string): { click(): void } | null;
};
declare const kioskFake: FakeBridgePage['kioskFake'];
declare const localStorage: { length: number };
declare const sessionStorage: { length: number };
declare function getComputedStyle(element: unknown): { backgroundColor: string };

describe.skipIf(skip)('patient interaction in Chromium', () => {
  let browser: Browser;
  let uiDir: string;
  let preview: PreviewPage;
  let console: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    uiDir = builtRenderer();
  });
  afterAll(() => browser?.close());
  afterEach(() => preview?.close());

  async function open(view: ViewState = sampleView('idle'), vendor = 'fujitsu'): Promise<PreviewPage> {
    preview = await PreviewPage.open(browser, {
      uiDir,
      profile: previewProfile(vendor),
      view,
      initScripts: [PROBES],
    });
    console = [];
    preview.page.on('console', (message) => console.push(message.text()));
    return preview;
  }

  const probed = () => preview.page.evaluate(() => probe);
  const heading = async () => ((await preview.page.textContent('h1')) ?? '').trim();
  const commands = () => preview.commands();

  it('switches language on any screen, and the next patient starts in Japanese again', async () => {
    await open();
    await preview.page.click('#lang-en');
    expect(await heading()).toBe('Please place your My Number card');
    expect(await preview.page.getAttribute('html', 'lang')).toBe('en-US');
    expect(await preview.page.getAttribute('#lang-en', 'aria-pressed')).toBe('true');
    await preview.show(sampleView('method'));
    expect(await heading()).toBe('Please choose how to confirm your identity');
    await preview.page.click('#lang-vi');
    expect(await heading()).toBe('Xin chọn cách xác nhận danh tính');
    await preview.show(sampleView('take-card'));
    expect(await preview.page.getAttribute('#app', 'data-lang')).toBe('vi');
    await preview.show(sampleView('idle'));
    expect(await preview.page.getAttribute('#app', 'data-lang')).toBe('ja');
    expect(await heading()).toBe('マイナンバーカードを置いてください');
    expect(await preview.page.getAttribute('html', 'lang')).toBe('ja-JP');
  });

  it('reads every screen out in the patient’s language; muting stops it until the next patient', async () => {
    await open();
    let { spoken } = await probed();
    expect(spoken.at(-1)?.lang).toBe('ja-JP');
    expect(spoken.at(-1)?.text).toContain('マイナンバーカードを置いてください');
    expect(spoken.at(-1)?.text).toContain('カードは縦向きに置いてください。');

    await preview.page.click('#lang-en');
    ({ spoken } = await probed());
    expect(spoken.at(-1)).toEqual({
      lang: 'en-US',
      text: expect.stringContaining('Please place your My Number card'),
    });

    await preview.page.click('#mute');
    expect(await preview.page.getAttribute('#app', 'data-muted')).toBe('true');
    const before = await probed();
    await preview.show(sampleView('method'));
    await preview.show(sampleView('pin'));
    const after = await probed();
    expect(after.spoken.length).toBe(before.spoken.length);

    await preview.show(sampleView('idle'));
    expect(await preview.page.getAttribute('#app', 'data-muted')).toBe('false');
    expect((await probed()).spoken.at(-1)).toEqual({
      lang: 'ja-JP',
      text: expect.stringContaining('マイナンバーカード'),
    });
  });

  it('never reads the patient’s name aloud on the done screen', async () => {
    await open(sampleView('done'));
    const { spoken } = await probed();
    expect(spoken.at(-1)?.text).toContain('確認が完了しました');
    expect(spoken.map((s) => s.text).join()).not.toContain('髙志');
  });

  it('moves focus to the new screen’s heading', async () => {
    await open();
    await preview.show(sampleView('method'));
    expect(await preview.page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  });

  it('offers 顔認証を行う, 暗証番号を入力 and 終了する, and no PIN for a PIN-less card', async () => {
    await open(sampleView('method'));
    expect(await preview.page.textContent('#choose-face')).toBe('顔認証を行う');
    expect(await preview.page.textContent('#choose-pin')).toBe('暗証番号を入力');
    expect(await preview.page.textContent('#choose-exit')).toBe('終了する');
    expect(await preview.page.textContent('.screen')).toContain(
      '本人確認の情報は、他の目的には使用しません。',
    );
    await preview.page.click('#choose-face');
    expect(await commands()).toEqual([{ type: 'CHOOSE_FACE' }]);

    await preview.show(sampleView('method', { pinless: true }));
    expect(await preview.page.locator('#choose-pin').count()).toBe(0);
  });

  it('sends each PIN key as it is pressed and shows only as many ● as the main process counts', async () => {
    await open(sampleView('pin', { pinLength: 0, pinTriesLeft: 3 }));
    expect(await preview.page.textContent('#pin-tries')).toBe('入力できる残りの回数：3回');
    await preview.page.click('#pin-key-1');
    await preview.page.click('#pin-key-9');
    expect(await commands()).toEqual([
      { type: 'PIN_DIGIT', digit: 1 },
      { type: 'PIN_DIGIT', digit: 9 },
    ]);
    // The page has not been told a count yet: it shows none.
    expect(await preview.page.locator('.pin-slot--filled').count()).toBe(0);

    await preview.paint(sampleView('pin', { pinLength: 2, pinTriesLeft: 3 }));
    expect(await preview.page.locator('.pin-slot').allTextContents()).toEqual(['●', '●', '', '']);
    expect(await preview.page.isDisabled('#pin-ok')).toBe(true);
    expect(await preview.page.getAttribute('#pin-display', 'data-length')).toBe('2');

    await preview.page.click('#pin-correct');
    await preview.paint(sampleView('pin', { pinLength: 4, pinTriesLeft: 3 }));
    expect(await preview.page.locator('.pin-slot').allTextContents()).toEqual(['●', '●', '●', '●']);
    await preview.page.click('#pin-ok');
    expect((await commands()).slice(2)).toEqual([{ type: 'PIN_BACKSPACE' }, { type: 'PIN_SUBMIT' }]);
    expect(await preview.page.textContent('body')).not.toMatch(/[19]{2}/);
  });

  it('sends CANCEL from the PIN pad', async () => {
    await open(sampleView('pin'));
    await preview.page.click('#pin-cancel');
    expect(await commands()).toEqual([{ type: 'CANCEL' }]);
  });

  it('asks one consent question per screen, and a double tap answers only that one', async () => {
    await open(sampleView('consent'));
    expect(await heading()).toBe('過去のお薬情報を当機関に提供することに同意しますか？');
    await preview.page.dblclick('#consent-agree');
    expect(await commands()).toEqual([{ type: 'CONSENT', agree: true }]);

    // The next question arrives and is touched in the same instant (one task in the page, so no
    // machine is too slow for it): that touch is the tail of the last tap and answers nothing.
    const next = sampleView('consent', { consent: { items: ['checkup'], bundled: false } });
    await preview.page.evaluate((view) => {
      kioskFake.deliver({ type: 'view', view });
      document.querySelector('#consent-decline')?.click();
    }, next);
    await preview.settled('consent');
    expect(await heading()).toBe('過去の健診情報を当機関に提供することに同意しますか？');
    expect(await commands()).toHaveLength(1);
    await preview.page.click('#consent-decline');
    expect((await commands()).at(-1)).toEqual({ type: 'CONSENT', agree: false });
  });

  it('lists every question on one screen when the clinic bundles them', async () => {
    const items = ['medication', 'checkup', 'diagnosis', 'surgery'] as const;
    await open(sampleView('consent', { consent: { items: [...items], bundled: true } }));
    expect(await preview.page.locator('.consent-name').allTextContents()).toEqual([
      '過去のお薬情報',
      '過去の健診情報',
      '診療情報',
      '手術情報',
    ]);
    await preview.page.click('#consent-agree');
    expect(await commands()).toEqual([{ type: 'CONSENT', agree: true }]);
  });

  it('sends the registration and limit-information answers', async () => {
    await open(sampleView('registration'));
    await preview.page.click('#answer-yes');
    await preview.show(sampleView('limit-info'));
    expect(await heading()).toBe('限度額情報を提供しますか？');
    expect(await preview.page.textContent('#answer-yes')).toBe('提供する');
    await preview.page.click('#answer-no');
    expect(await commands()).toEqual([
      { type: 'REGISTER', agree: true },
      { type: 'LIMIT_INFO', provide: false },
    ]);
  });

  it('asks 続けますか？ over the screen; はい sends CONTINUE and nothing beneath can be touched', async () => {
    await open(sampleView('consent'));
    await preview.paint(sampleView('consent', { continuePrompt: true }));
    expect(await preview.page.isVisible('[role="alertdialog"]')).toBe(true);
    expect(await preview.page.textContent('#continue-title')).toBe('続けますか？');
    expect(await preview.page.getAttribute('main', 'inert')).not.toBeNull();
    expect((await probed()).spoken.at(-1)?.text).toContain('続けますか？');
    await preview.page.click('#continue-yes');
    expect(await commands()).toEqual([{ type: 'CONTINUE' }]);

    await preview.paint(sampleView('consent'));
    expect(await preview.page.isVisible('[role="alertdialog"]')).toBe(false);
    expect(await preview.page.getAttribute('main', 'inert')).toBeNull();
  });

  it('makes the take-card reminder louder and more insistent with every reminder', async () => {
    await open(sampleView('take-card', { reminders: 0 }));
    expect(await heading()).toBe('受付完了後はマイナンバーカードを忘れずにお取りください！');
    const level = () => preview.page.getAttribute('.screen', 'data-level');
    const background = () => preview.page.$eval('.screen', (e) => getComputedStyle(e).backgroundColor);
    const tones: number[] = [(await probed()).tones];
    const backgrounds = [await background()];
    expect(await level()).toBe('0');
    expect(tones[0]).toBeGreaterThan(0);
    expect(await preview.page.isVisible('.take-card-again')).toBe(false);

    for (const reminders of [1, 2, 3]) {
      await preview.paint(sampleView('take-card', { reminders }));
      expect(await level()).toBe(String(reminders));
      tones.push((await probed()).tones);
      backgrounds.push(await background());
    }
    expect(await preview.page.isVisible('.take-card-again')).toBe(true);
    const added = tones.slice(1).map((count, i) => count - tones[i]!);
    // Each reminder sounds, and each sounds longer than the one before.
    expect(added.every((n, i) => n > 0 && (i === 0 || n > added[i - 1]!))).toBe(true);
    expect(new Set(backgrounds).size).toBe(4);
    // Reminders keep sounding even with voice guidance off: the card must not be left behind.
    await preview.page.click('#mute');
    const muted = (await probed()).tones;
    await preview.paint(sampleView('take-card', { reminders: 4 }));
    expect((await probed()).tones).toBeGreaterThan(muted);
  });

  it('writes nothing to browser storage and logs nothing, through a whole visit', async () => {
    await open();
    const visit: ViewState[] = [
      sampleView('reading'),
      sampleView('method'),
      sampleView('pin', { pinLength: 3, pinTriesLeft: 3 }),
      sampleView('verifying'),
      sampleView('consent'),
      sampleView('done', { displayName: SAMPLE_NAME }),
      sampleView('limit-info'),
      sampleView('take-card', { reminders: 2 }),
      sampleView('idle'),
    ];
    for (const view of visit) await preview.show(view);
    expect((await probed()).storageWrites).toBe(0);
    expect(await preview.page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    expect(console).toEqual([]);
  });

  it('says why staff are needed', async () => {
    await open(sampleView('staff', { stop: 'pin-blocked' }));
    expect(await heading()).toBe('受付の職員をお呼びください');
    expect(await preview.page.textContent('.screen')).toContain('暗証番号がロックされています。');
  });

  it('redraws the idle screen when staff arm 目視確認 for the next patient', async () => {
    await open();
    expect(await preview.page.isVisible('.notice')).toBe(false);
    await preview.paint(sampleView('idle', { visualCheckArmed: true }));
    expect(await preview.page.textContent('.notice')).toBe('次の方は、職員が目で見て本人確認をします。');
  });

  it('tells the patient who pulled the card why the visit stopped, for about five seconds', async () => {
    await open(sampleView('consent'));
    const started = Date.now();
    await preview.paint(sampleView('idle', { stop: 'card-removed' }));
    expect(await heading()).toBe('マイナンバーカードを置いてください');
    expect(await preview.page.textContent('#stop-notice')).toBe(
      'カードが取り出されたため、受付を中止しました。',
    );
    expect((await probed()).spoken.at(-1)?.text).toMatch(/^カードが取り出されたため、受付を中止しました。/);
    // A quiet redraw of the same idle screen (staff arm 目視確認) keeps it, and does not restart it.
    await preview.paint(sampleView('idle', { stop: 'card-removed', visualCheckArmed: true }));
    expect(await preview.page.isVisible('#stop-notice')).toBe(true);
    await preview.page.waitForSelector('#stop-notice', { state: 'detached', timeout: 8000 });
    const ms = Date.now() - started;
    expect(ms).toBeGreaterThanOrEqual(4500);
    expect(ms).toBeLessThan(7000);
    expect(await heading()).toBe('マイナンバーカードを置いてください');
    expect(await preview.page.textContent('.notice')).toBe('次の方は、職員が目で見て本人確認をします。');
  }, 15_000);

  it('drops the card-removed notice at once when the next card is placed', async () => {
    await open(sampleView('idle', { stop: 'card-removed' }));
    await preview.page.click('#lang-en');
    expect(await preview.page.textContent('#stop-notice')).toBe(
      'The card was taken off, so reception was stopped.',
    );
    await preview.paint(sampleView('reading'));
    expect(await preview.page.isVisible('#stop-notice')).toBe(false);
    expect(await heading()).toBe('Reading your card');
  });
});
