import { h, paragraph } from '../dom.ts';
import { layout, type ScreenBuilder } from './screen.ts';

/** Only these outlast the visit they ended: the next patient would hit them too. */
const STILL_TRUE = new Set(['upstream-unreachable', 'kiosk-fault']);

export const idleScreen: ScreenBuilder = (context) => {
  const { t } = context.tr;
  const { view, profile } = context;
  const guide = context.tr.guideText(profile);
  const stop =
    view.stop && STILL_TRUE.has(view.stop)
      ? context.tr.tDynamic(`stop.${view.stop}`, 'reason.unknown')
      : null;
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
      ),
    ],
    speech: [t('idle.heading'), guide, t('idle.cover')],
  });
};
