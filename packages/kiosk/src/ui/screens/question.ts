import type { PatientCommand } from '../../common/ui-protocol.ts';
import { button, paragraph } from '../dom.ts';
import type { MessageKey } from '../i18n.ts';
import { layout, type ScreenBuilder } from './screen.ts';

interface Question {
  name: string;
  title: MessageKey;
  body: MessageKey;
  yes: [MessageKey, PatientCommand];
  no: [MessageKey, PatientCommand];
}

/**
 * A yes/no question (registration, limit information). Both answers look alike on purpose: the
 * screen asks, it does not steer.
 */
export function questionScreen(question: Question): ScreenBuilder {
  return (context) => {
    const { t } = context.tr;
    const [yes, yesCommand] = question.yes;
    const [no, noCommand] = question.no;
    return layout({
      name: question.name,
      title: t(question.title),
      content: [paragraph(t(question.body), 'lead')],
      actions: [
        button(t(yes), () => context.answer(yesCommand), 'secondary', 'answer-yes'),
        button(t(no), () => context.answer(noCommand), 'secondary', 'answer-no'),
      ],
      speech: [t(question.title), t(question.body), t(yes), t(no)],
    });
  };
}
