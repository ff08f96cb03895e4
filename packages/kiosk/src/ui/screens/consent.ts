import type { ConsentQuestion } from '../../common/ui-protocol.ts';
import { button, h, paragraph } from '../dom.ts';
import type { MessageKey } from '../i18n.ts';
import { layout, type ScreenBuilder } from './screen.ts';

const itemKey = (item: ConsentQuestion): MessageKey => `consent.item.${item}`;
const detailKey = (item: ConsentQuestion): MessageKey => `consent.detail.${item}`;

/**
 * One consent question per screen (過去のお薬情報, 過去の健診情報, …), or all of them on one screen
 * when the clinic bundles them; either way one answer, 同意する or 同意しない, equally weighted.
 */
export const consentScreen: ScreenBuilder = (context) => {
  const { t } = context.tr;
  const items = context.view.consent?.items ?? [];
  const bundled = items.length > 1;
  const title = bundled ? t('consent.headingBundled') : t('consent.heading', { item: t(itemKey(items[0]!)) });
  const content = bundled
    ? [
        h(
          'ul',
          { class: 'consent-list' },
          ...items.map((item) =>
            h(
              'li',
              { class: 'consent-item' },
              h('span', { class: 'consent-name' }, t(itemKey(item))),
              h('span', { class: 'consent-detail' }, t(detailKey(item))),
            ),
          ),
        ),
      ]
    : items.map((item) => paragraph(t(detailKey(item)), 'lead'));
  return layout({
    name: 'consent',
    title,
    content: [...content, paragraph(t('consent.note'), 'callout')],
    actions: [
      button(
        t('consent.agree'),
        () => context.answer({ type: 'CONSENT', agree: true }),
        'secondary',
        'consent-agree',
      ),
      button(
        t('consent.decline'),
        () => context.answer({ type: 'CONSENT', agree: false }),
        'secondary',
        'consent-decline',
      ),
    ],
    speech: [
      title,
      ...items.map((item) => (bundled ? `${t(itemKey(item))}。${t(detailKey(item))}` : t(detailKey(item)))),
      t('consent.agree'),
      t('consent.decline'),
    ],
  });
};
