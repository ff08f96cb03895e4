/**
 * Checks run inside a rendered page, for the end-to-end tests and screenshot jobs: what sticks
 * out of the window (a patient cannot scroll), touch targets smaller than 15 mm, text smaller than
 * the body size. Each returns a list of problems, empty when the screen is fine.
 */
import type { Page } from 'playwright-core';

/** 15 mm at 96 CSS px per inch. */
export const MIN_TARGET_PX = 57;
/** Body text at 1080 px of screen height. */
export const MIN_TEXT_PX = 28;

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

interface PageElement {
  tagName: string;
  className: unknown;
  id: string;
  textContent: string | null;
  childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
  getBoundingClientRect(): Box;
  closest(selector: string): unknown;
}

declare const document: {
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  scrollingElement: { scrollHeight: number; scrollWidth: number };
};
declare const innerWidth: number;
declare const innerHeight: number;
declare function getComputedStyle(element: PageElement): { fontSize: string; visibility: string };

/** Everything on screen that is at least partly outside the window, and whether the page scrolls. */
export function outsideWindow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const element of Array.from(document.querySelectorAll('#app *'))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (element.closest('[hidden], .visually-hidden, .camera-frame')) continue;
      if (box.left < -1 || box.top < -1 || box.right > innerWidth + 1 || box.bottom > innerHeight + 1) {
        problems.push(
          `${element.tagName.toLowerCase()}.${String(element.className)} at ${Math.round(box.right)}×${Math.round(box.bottom)}`,
        );
      }
    }
    const scrolling = document.scrollingElement;
    if (scrolling.scrollHeight > innerHeight + 1 || scrolling.scrollWidth > innerWidth + 1)
      problems.push('the page scrolls');
    return problems;
  });
}

/** Buttons on screen smaller than `min` CSS px either way. */
export function smallTargets(page: Page, min: number = MIN_TARGET_PX): Promise<string[]> {
  return page.evaluate((limit) => {
    const problems: string[] = [];
    for (const element of Array.from(document.querySelectorAll('#app button'))) {
      if (element.closest('[hidden]')) continue;
      const box = element.getBoundingClientRect();
      if (box.width < limit || box.height < limit) {
        problems.push(
          `${element.id || element.textContent}: ${Math.round(box.width)}×${Math.round(box.height)}`,
        );
      }
    }
    return problems;
  }, min);
}

/** Visible text set smaller than `min` CSS px. */
export function smallText(page: Page, min: number = MIN_TEXT_PX): Promise<string[]> {
  return page.evaluate((limit) => {
    const problems: string[] = [];
    for (const element of Array.from(document.querySelectorAll('#app *'))) {
      if (element.closest('[hidden], .visually-hidden')) continue;
      const text = Array.from(element.childNodes)
        .filter((node) => node.nodeType === 3)
        .map((node) => node.textContent ?? '')
        .join('')
        .trim();
      if (!text) continue;
      const size = Number.parseFloat(getComputedStyle(element).fontSize);
      if (size < limit) problems.push(`"${text.slice(0, 20)}" at ${size}px`);
    }
    return problems;
  }, min);
}
