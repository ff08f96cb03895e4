import { h, paragraph } from '../dom.ts';
import type { MessageKey } from '../i18n.ts';
import { layout, type ScreenBuilder } from './screen.ts';

/** A screen where the kiosk works and the patient waits: a spinner and what is happening. */
export function waitingScreen(name: string, title: MessageKey, body: MessageKey): ScreenBuilder {
  return (context) => {
    const { t } = context.tr;
    return layout({
      name,
      title: t(title),
      content: [h('div', { class: 'spinner', 'aria-hidden': 'true' }), paragraph(t(body), 'lead')],
      speech: [t(title), t(body)],
    });
  };
}
