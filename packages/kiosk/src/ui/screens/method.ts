import { button, paragraph } from '../dom.ts';
import { layout, type ScreenBuilder } from './screen.ts';

export const methodScreen: ScreenBuilder = (context) => {
  const { t } = context.tr;
  const { pinless } = context.view;
  return layout({
    name: 'method',
    title: t('method.heading'),
    content: [pinless && paragraph(t('method.pinless'), 'lead'), paragraph(t('method.privacy'), 'callout')],
    actions: [
      button(t('method.face'), () => context.answer({ type: 'CHOOSE_FACE' }), 'primary', 'choose-face'),
      // A card without a PIN (顔認証マイナンバーカード) has no PIN to enter.
      !pinless &&
        button(t('method.pin'), () => context.answer({ type: 'CHOOSE_PIN' }), 'primary', 'choose-pin'),
      button(t('method.exit'), () => context.answer({ type: 'CHOOSE_EXIT' }), 'quiet', 'choose-exit'),
    ],
    speech: [
      t('method.heading'),
      ...(pinless ? [t('method.pinless')] : []),
      t('method.face'),
      ...(pinless ? [] : [t('method.pin')]),
      t('method.exit'),
      t('method.privacy'),
    ],
  });
};
