/**
 * The browser objects the renderer uses, typed here: the project compiles for Node without the DOM
 * library (adding it would hand every Node file `window` and `document`), so the renderer names the
 * part of the browser it relies on, and nothing else. Everything is reached through `browser`.
 */
import type { KioskBridge } from '../common/ui-protocol.ts';

export interface UiEvent {
  readonly key?: string;
  preventDefault(): void;
}

export interface UiElement {
  id: string;
  className: string;
  textContent: string | null;
  hidden: boolean;
  tabIndex: number;
  lang: string;
  readonly dataset: Record<string, string | undefined>;
  readonly style: { setProperty(name: string, value: string): void };
  readonly classList: { toggle(name: string, force?: boolean): boolean; contains(name: string): boolean };
  readonly isConnected: boolean;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  toggleAttribute(name: string, force?: boolean): boolean;
  append(...nodes: (UiElement | string)[]): void;
  replaceChildren(...nodes: (UiElement | string)[]): void;
  remove(): void;
  focus(options?: { preventScroll?: boolean }): void;
  contains(other: UiElement | null): boolean;
  querySelector(selector: string): UiElement | null;
  addEventListener(type: string, listener: (event: UiEvent) => void): void;
}

export interface UiButton extends UiElement {
  type: string;
  disabled: boolean;
}

export interface UiImage extends UiElement {
  src: string;
  alt: string;
}

export interface UiMediaTrack {
  readonly label: string;
  stop(): void;
}

export interface UiMediaStream {
  getTracks(): UiMediaTrack[];
}

export interface UiVideo extends UiElement {
  srcObject: UiMediaStream | null;
  muted: boolean;
  playsInline: boolean;
  autoplay: boolean;
  readonly readyState: number;
  readonly videoWidth: number;
  readonly videoHeight: number;
  play(): Promise<void>;
}

export interface UiBlob {
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface UiCanvasContext {
  drawImage(image: UiVideo, x: number, y: number, width: number, height: number): void;
  clearRect(x: number, y: number, width: number, height: number): void;
}

export interface UiCanvas extends UiElement {
  width: number;
  height: number;
  getContext(kind: '2d'): UiCanvasContext | null;
  toBlob(done: (blob: UiBlob | null) => void, type: string, quality: number): void;
}

export interface UiMediaDevices {
  getUserMedia(constraints: { video: Record<string, unknown>; audio: false }): Promise<UiMediaStream>;
  enumerateDevices(): Promise<{ kind: string; label: string; deviceId: string }[]>;
}

export interface UiVoice {
  readonly lang: string;
  readonly name: string;
}

export interface UiUtterance {
  lang: string;
  voice: UiVoice | null;
  rate: number;
}

export interface UiSpeechSynthesis {
  speak(utterance: UiUtterance): void;
  cancel(): void;
  getVoices(): UiVoice[];
  addEventListener(type: 'voiceschanged', listener: () => void): void;
}

export interface UiAudioParam {
  setValueAtTime(value: number, time: number): void;
  exponentialRampToValueAtTime(value: number, time: number): void;
}

export interface UiAudioNode {
  connect(destination: UiAudioNode): void;
}

export interface UiOscillator extends UiAudioNode {
  type: string;
  readonly frequency: UiAudioParam;
  start(time: number): void;
  stop(time: number): void;
}

export interface UiAudioContext {
  readonly currentTime: number;
  readonly state: string;
  readonly destination: UiAudioNode;
  resume(): Promise<void>;
  createOscillator(): UiOscillator;
  createGain(): UiAudioNode & { readonly gain: UiAudioParam };
}

export interface UiAudio {
  play(): Promise<void>;
  pause(): void;
}

export interface ElementsByTag {
  button: UiButton;
  img: UiImage;
  video: UiVideo;
  canvas: UiCanvas;
}

export interface UiDocument {
  readonly documentElement: UiElement;
  readonly body: UiElement;
  readonly activeElement: UiElement | null;
  title: string;
  createElement<Tag extends string>(
    tag: Tag,
  ): Tag extends keyof ElementsByTag ? ElementsByTag[Tag] : UiElement;
  createElementNS(namespace: string, tag: string): UiElement;
  getElementById(id: string): UiElement | null;
}

export interface UiGlobals {
  readonly document: UiDocument;
  readonly kiosk?: KioskBridge;
  readonly navigator: { readonly mediaDevices?: UiMediaDevices };
  readonly speechSynthesis?: UiSpeechSynthesis;
  readonly SpeechSynthesisUtterance?: new (text: string) => UiUtterance;
  readonly AudioContext?: new () => UiAudioContext;
  readonly Audio?: new (src: string) => UiAudio;
  addEventListener(type: string, listener: () => void): void;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(id: number | undefined): void;
  setInterval(callback: () => void, ms: number): number;
  clearInterval(id: number | undefined): void;
}

export const browser = globalThis as unknown as UiGlobals;
