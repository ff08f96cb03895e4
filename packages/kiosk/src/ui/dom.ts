/** Building the screens' DOM: one small element helper, text only through textContent. */
export type Child = Element | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

/**
 * An element with attributes and children. Attributes go through setAttribute, never `style` (the
 * page's content security policy refuses inline styles); strings become text nodes, so nothing a
 * translation or a name contains can turn into markup.
 */
export function h<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.filter((child): child is Element | string => Boolean(child)));
  return element;
}

export type ButtonKind = 'primary' | 'secondary' | 'quiet' | 'key' | 'key-action';

/** A touch button; `press` runs on click, which also covers Enter and Space for keyboard users. */
export function button(
  label: string,
  press: () => void,
  kind: ButtonKind = 'secondary',
  id?: string,
): HTMLButtonElement {
  const element = h('button', { type: 'button', class: `button button--${kind}`, id }, label);
  element.addEventListener('click', press);
  return element;
}

/** The screen's heading: focusable by script so a screen reader starts reading there. */
export function heading(text: string | Child[]): HTMLElement {
  return h('h1', { class: 'heading', tabindex: -1 }, ...(Array.isArray(text) ? text : [text]));
}

export const paragraph = (text: string, className = 'body') => h('p', { class: className }, text);
