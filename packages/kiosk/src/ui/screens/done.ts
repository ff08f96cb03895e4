import { h, paragraph } from '../dom.ts';
import { layout, type ScreenBuilder } from './screen.ts';

/** Stands in for the name while the translated sentence is split around it. */
const NAME_SLOT = '\u0000name\u0000';

/**
 * 「●●様 確認が完了しました。」 The name is shown exactly as the upstream wrote it, rare kanji
 * (𠮷, 髙) and variation sequences (葛󠄀) included, in a Japanese font whatever the screen language,
 * and never read out loud: the waiting room would hear it.
 */
export const doneScreen: ScreenBuilder = (context) => {
  const { t } = context.tr;
  const name = context.view.displayName ?? '';
  const [before = '', after = ''] = t('done.heading', { name: NAME_SLOT }).split(NAME_SLOT);
  return layout({
    name: 'done',
    title: [before, h('span', { class: 'patient-name', lang: 'ja', id: 'patient-name' }, name), after],
    content: [h('div', { class: 'done-mark', 'aria-hidden': 'true' }), paragraph(t('done.body'), 'lead')],
    speech: [t('done.voice')],
  });
};
