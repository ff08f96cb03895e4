import { PIN_DIGITS } from '../../common/ui-protocol.ts';
import { button, h, paragraph } from '../dom.ts';
import { layout, type ScreenBuilder, type ScreenContext } from './screen.ts';

/** The masked entry: a ● per digit typed, an empty box per digit to go; the digits never reach the page. */
export function pinSlots(pinLength: number): { filled: number; empty: number } {
  const filled = Math.min(Math.max(pinLength, 0), PIN_DIGITS);
  return { filled, empty: PIN_DIGITS - filled };
}

const KEYPAD = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/**
 * 「暗証番号を入力してください。」 Each key goes to the main process as it is pressed; the page
 * learns only how many digits there are now (pinLength) and shows that many ●.
 */
export const pinScreen: ScreenBuilder = (context) => {
  const { t } = context.tr;
  const display = h('div', {
    class: 'pin-display',
    role: 'status',
    'aria-live': 'polite',
    id: 'pin-display',
  });
  const tries = h('p', { class: 'callout pin-tries', id: 'pin-tries' });
  const digit = (n: number) =>
    button(String(n), () => context.press({ type: 'PIN_DIGIT', digit: n }), 'key', `pin-key-${n}`);
  const ok: HTMLButtonElement = button(
    t('pin.ok'),
    () => context.answer({ type: 'PIN_SUBMIT' }),
    'primary',
    'pin-ok',
  );
  const keypad: HTMLElement = h(
    'div',
    { class: 'keypad', role: 'group', 'aria-label': t('pin.keypad') },
    ...KEYPAD.map(digit),
    button(t('pin.correct'), () => context.press({ type: 'PIN_BACKSPACE' }), 'key-action', 'pin-correct'),
    digit(0),
    ok,
  );

  const refresh = (next: ScreenContext): string[] => {
    const { filled, empty } = pinSlots(next.view.pinLength);
    display.replaceChildren(
      ...Array.from({ length: filled }, () =>
        h('span', { class: 'pin-slot pin-slot--filled', 'aria-hidden': 'true' }, '●'),
      ),
      ...Array.from({ length: empty }, () => h('span', { class: 'pin-slot', 'aria-hidden': 'true' })),
      h('span', { class: 'visually-hidden' }, t('pin.entered', { entered: filled, total: PIN_DIGITS })),
    );
    display.dataset.length = String(filled);
    ok.disabled = filled < PIN_DIGITS;
    const left = next.view.pinTriesLeft;
    tries.textContent = left === null ? '' : t('pin.triesLeft', { tries: left });
    tries.hidden = left === null;
    return [];
  };
  refresh(context);

  return layout(
    {
      name: 'pin',
      title: t('pin.heading'),
      split: true,
      content: [h('div', { class: 'stack' }, paragraph(t('pin.hint'), 'lead'), display, tries), keypad],
      actions: [button(t('pin.cancel'), () => context.answer({ type: 'CANCEL' }), 'quiet', 'pin-cancel')],
      speech: [t('pin.heading'), t('pin.hint'), ...(tries.textContent ? [tries.textContent] : [])],
    },
    refresh,
  );
};
