import { h, paragraph } from '../dom.ts';
import type { MessageKey } from '../i18n.ts';
import { layout, type ScreenBuilder, stopText } from './screen.ts';

/**
 * A screen that says why the visit cannot go on (the card could not be read, staff are needed):
 * the reason from the view's stop code between the heading and what to do now.
 */
export function stopNoticeScreen(
  name: string,
  title: MessageKey,
  body: MessageKey,
  icon?: string,
): ScreenBuilder {
  return (context) => {
    const { t } = context.tr;
    const why = stopText(context);
    return layout({
      name,
      title: t(title),
      content: [
        icon && h('div', { class: icon, 'aria-hidden': 'true' }),
        why && paragraph(why, 'lead'),
        paragraph(t(body), 'callout'),
      ],
      speech: [t(title), ...(why ? [why] : []), t(body)],
    });
  };
}
