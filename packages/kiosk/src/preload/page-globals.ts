/**
 * The few browser objects the bridge scripts touch, typed here because the project compiles for
 * Node (no DOM library): adding the DOM library for these scripts would change the globals every
 * Node file sees.
 */

export interface PageSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  binaryType: string;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}

export interface PageSocketConstructor {
  new (url: string): PageSocket;
  readonly OPEN: number;
}

export interface PageElement {
  textContent: string | null;
  disabled?: boolean;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  append(...children: (PageElement | string)[]): void;
  replaceChildren(...children: (PageElement | string)[]): void;
  addEventListener(type: 'click', listener: () => void): void;
}

export interface PageGlobals {
  location: { hash: string; pathname: string; search: string; host: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  WebSocket: PageSocketConstructor;
  setTimeout(callback: () => void, ms: number): unknown;
  document: {
    getElementById(id: string): PageElement | null;
    createElement(tag: string): PageElement;
  };
}

export const page = globalThis as unknown as PageGlobals;
