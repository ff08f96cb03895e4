/**
 * 「続けますか？」 over the screen when the patient has not touched anything for a while: one clear
 * はい. Everything behind it is inert while it is open, so a stray touch cannot answer the screen
 * underneath.
 */
import { button, h } from './dom.ts';
import type { Translator } from './i18n.ts';

export class ContinuePrompt {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly body: HTMLElement;
  private readonly yes: HTMLButtonElement;

  constructor(onYes: () => void) {
    this.title = h('h2', { class: 'heading', id: 'continue-title' });
    this.body = h('p', { class: 'body', id: 'continue-body' });
    this.yes = button('', onYes, 'primary', 'continue-yes');
    this.root = h(
      'div',
      {
        class: 'overlay',
        role: 'alertdialog',
        'aria-modal': 'true',
        'aria-labelledby': 'continue-title',
        'aria-describedby': 'continue-body',
      },
      h('div', { class: 'dialog' }, this.title, this.body, h('div', { class: 'actions' }, this.yes)),
    );
    this.root.hidden = true;
  }

  get open(): boolean {
    return !this.root.hidden;
  }

  /** Returns what to say when it has just opened. */
  render(show: boolean, tr: Translator): string[] {
    const opening = show && this.root.hidden;
    this.title.textContent = tr.t('continue.heading');
    this.body.textContent = tr.t('continue.body');
    this.yes.textContent = tr.t('continue.yes');
    this.root.hidden = !show;
    if (!opening) return [];
    this.yes.focus();
    return [tr.t('continue.heading'), tr.t('continue.body')];
  }
}
