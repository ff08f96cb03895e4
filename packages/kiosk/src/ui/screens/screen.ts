/** What every screen is given and gives back. */
import type { PatientCommand, ViewState } from '../../common/ui-protocol.ts';
import type { Camera } from '../camera.ts';
import { type Child, h, heading } from '../dom.ts';
import type { Translator } from '../i18n.ts';
import type { KioskRendererProfile } from '../renderer-profile.ts';

export interface ScreenContext {
  view: ViewState;
  profile: KioskRendererProfile;
  tr: Translator;
  /** An answer that moves the flow on: the screen's buttons lock until the next view arrives. */
  answer(command: PatientCommand): void;
  /** A key press that keeps the screen (the PIN pad). */
  press(command: PatientCommand): void;
  camera: Camera;
  /** Reasons from the frames being analysed now (`face-feedback`), newest first. */
  liveReasons: readonly string[];
  /** When this screen first appeared (Date.now()); the same across quiet redraws of it. */
  shownAt: number;
}

export interface BuiltScreen {
  root: HTMLElement;
  /** Focused on arrival, so a screen reader starts here. */
  heading: HTMLElement;
  /** What voice guidance says on arrival. */
  speech: string[];
  /** The same screen with a new view (a PIN digit, a reminder, a face reason); returns what to say, if anything. */
  update?(context: ScreenContext): string[];
}

export type ScreenBuilder = (context: ScreenContext) => BuiltScreen;

export interface LayoutParts {
  name: string;
  title: string | Child[];
  content?: Child[];
  /** Side by side in landscape, stacked in portrait. */
  split?: boolean;
  actions?: Child[];
  speech: string[];
}

/** The shape every screen shares: heading, content, then the actions at the bottom within reach. */
export function layout(parts: LayoutParts, update?: BuiltScreen['update']): BuiltScreen {
  const title = heading(parts.title);
  const root = h(
    'section',
    { class: `screen screen--${parts.name}`, 'data-screen': parts.name },
    title,
    h('div', { class: parts.split ? 'content content--split' : 'content' }, ...(parts.content ?? [])),
    parts.actions?.length ? h('div', { class: 'actions' }, ...parts.actions) : null,
  );
  return { root, heading: title, speech: parts.speech, ...(update ? { update } : {}) };
}

/** The stop reason's text, when the view has one. */
export function stopText(context: ScreenContext): string | null {
  const { stop } = context.view;
  return stop ? context.tr.tDynamic(`stop.${stop}`, 'reason.unknown') : null;
}
