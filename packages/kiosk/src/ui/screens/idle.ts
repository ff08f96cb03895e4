import { h, paragraph } from '../dom.ts';
import { layout, type ScreenBuilder } from './screen.ts';

/** Only these outlast the visit they ended: the next patient would hit them too. */
const STILL_TRUE = new Set(['upstream-unreachable', 'kiosk-fault']);
/**
 * These are told to the patient who just left, for this long after the idle screen appears:
 * 「カードが取り出されたため、受付を中止しました。」 The next card's view replaces the screen at once.
 */
const BRIEFLY_TRUE = new Set(['card-removed']);
export const BRIEF_NOTICE_MS = 5000;

export const idleScreen: ScreenBuilder = (context) => {
  const { t } = context.tr;
  const { view, profile } = context;
  const guide = context.tr.guideText(profile);
  const code = view.stop ?? '';
  const stopText = code ? context.tr.tDynamic(`stop.${code}`, 'reason.unknown') : null;
  const stop = STILL_TRUE.has(code) ? stopText : null;
  const left = BRIEF_NOTICE_MS - (Date.now() - context.shownAt);
  const brief = BRIEFLY_TRUE.has(code) && left > 0 ? stopText : null;
  const briefNotice =
    brief && h('p', { class: 'notice', role: 'status', id: 'stop-notice', 'data-stop': code }, brief);
  if (briefNotice) window.setTimeout(() => briefNotice.remove(), left);
  return layout({
    name: 'idle',
    title: t('idle.heading'),
    split: true,
    content: [
      h(
        'figure',
        { class: `guide guide--${profile.cardGuide.orientation}` },
        h('img', { class: 'guide-image', src: profile.cardGuide.image, alt: t('idle.guideAlt') }),
      ),
      h(
        'div',
        { class: 'stack' },
        paragraph(guide, 'lead'),
        h('p', { class: 'callout' }, t('idle.cover')),
        view.visualCheckArmed && h('p', { class: 'notice', role: 'status' }, t('idle.visualCheck')),
        stop && h('p', { class: 'notice', role: 'status' }, stop),
        briefNotice,
      ),
    ],
    speech: [...(brief ? [brief] : []), t('idle.heading'), guide, t('idle.cover')],
  });
};
