import { h, paragraph } from '../dom.ts';
import { layout, type ScreenBuilder, stopText } from './screen.ts';

/** How loud the screen gets: 0 on arrival, then one step per reminder up to the last. */
export const TAKE_CARD_LEVELS = 4;
export const reminderLevel = (reminders: number) => Math.min(Math.max(reminders, 0), TAKE_CARD_LEVELS - 1);

/** A card rising out of the reader, drawn in CSS so it moves without any file. */
function cardAnimation(): HTMLElement {
  return h(
    'div',
    { class: 'take-card-art', 'aria-hidden': 'true' },
    h('div', { class: 'take-card-reader' }),
    h('div', { class: 'take-card-card' }, h('div', { class: 'take-card-photo' })),
    h('div', { class: 'take-card-arrow' }),
  );
}

/**
 * 「受付完了後はマイナンバーカードを忘れずにお取りください！」 The main process counts the
 * reminders while the card stays on the reader; each one makes this screen more insistent.
 */
export const takeCardScreen: ScreenBuilder = (context) => {
  const { t } = context.tr;
  const why = stopText(context);
  const title = why ? t('takeCard.headingStopped') : t('takeCard.heading');
  const again = paragraph(t('takeCard.again'), 'callout take-card-again');
  const built = layout(
    {
      name: 'take-card',
      title,
      split: true,
      content: [
        cardAnimation(),
        h(
          'div',
          { class: 'stack' },
          why && paragraph(why, 'lead'),
          paragraph(t('takeCard.body'), 'lead'),
          again,
        ),
      ],
      speech: [title, ...(why ? [why] : []), t('takeCard.body')],
    },
    (next) => {
      const before = Number(built.root.dataset.reminders ?? 0);
      show(next.view.reminders);
      return next.view.reminders > before ? [t('takeCard.again')] : [];
    },
  );
  const show = (reminders: number) => {
    built.root.dataset.reminders = String(reminders);
    built.root.dataset.level = String(reminderLevel(reminders));
    again.hidden = reminders === 0;
  };
  show(context.view.reminders);
  return built;
};
