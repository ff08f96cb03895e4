/**
 * The renderer: shows the screen the main process sends and sends back what the patient touched.
 * It decides nothing about the visit. What it keeps is the patient's own choices (language, voice
 * off) until the kiosk is back on the idle screen, and the state of the camera while the face
 * screen is up (and of the card tray's camera while the main process asks for stills).
 */
import type { KioskBridge, MainMessage, PatientCommand, ViewState } from '../common/ui-protocol.ts';
import { Camera } from './camera.ts';
import { CardTrayCamera } from './card-tray-camera.ts';
import { Chime } from './chime.ts';
import { ContinuePrompt } from './continue-prompt.ts';
import { h, heading } from './dom.ts';
import { createTranslator, type MessageKey } from './i18n.ts';
import { LANGUAGE_TAGS, type Language } from './languages.ts';
import { PatientSession } from './patient-session.ts';
import type { KioskRendererProfile } from './renderer-profile.ts';
import { SCREEN_BUILDERS } from './screens/index.ts';
import type { BuiltScreen, ScreenContext } from './screens/screen.ts';
import { reminderLevel } from './screens/take-card.ts';
import { waitingScreen } from './screens/waiting.ts';
import { Toolbar } from './toolbar.ts';
import { VoiceGuide } from './voice-guide.ts';

const UNKNOWN_SCREEN = waitingScreen('unknown', 'app.connecting', 'pinChecking.body');

/** A touch this soon after a screen appeared is the second half of a double tap on the last one. */
export const SETTLE_MS = 350;
/** If no new view follows an answer, the buttons come back rather than leave the patient stuck. */
const ANSWER_LOCK_MS = 3000;
/** Live reasons older than this are stale: the patient has moved since. */
const LIVE_REASON_MS = 2000;

export class App {
  private profile: KioskRendererProfile | null = null;
  private view: ViewState | null = null;
  private liveReasons: string[] = [];
  private liveReasonsAt = 0;
  private readonly session = new PatientSession();
  private readonly tr = createTranslator();
  private readonly chime = new Chime();
  private readonly voice: VoiceGuide;
  private readonly camera: Camera;
  private readonly cardTray: CardTrayCamera;
  private readonly toolbar: Toolbar;
  private readonly prompt: ContinuePrompt;
  private readonly main: HTMLElement;
  private shown: { identity: string; screen: BuiltScreen; view: string; at: number } | null = null;
  private settledAt = 0;
  private lockedUntil = 0;
  /** Reminders already sounded on this take-card screen; -1 before it appears. */
  private reminders = -1;

  constructor(
    private readonly bridge: KioskBridge,
    private readonly root: HTMLElement,
    recordedVoices: readonly string[] = [],
  ) {
    this.voice = new VoiceGuide(this.chime, new Set(recordedVoices));
    this.camera = new Camera(() => this.cameraChanged());
    this.cardTray = new CardTrayCamera(this.camera);
    this.toolbar = new Toolbar(
      (language) => this.chooseLanguage(language),
      () => this.toggleMute(),
    );
    this.prompt = new ContinuePrompt(() => this.answer({ type: 'CONTINUE' }));
    this.main = h('main', { class: 'main', id: 'screen' });
    root.replaceChildren(this.toolbar.root, this.main, this.prompt.root);
    // The first touch anywhere lets the browser play sound from then on.
    root.addEventListener('pointerdown', () => this.chime.unlock());
    this.showNotice('app.connecting');
  }

  start(): void {
    this.bridge.onMessage((message) => this.receive(message));
    this.bridge.send({ type: 'ready' });
  }

  receive(message: MainMessage): void {
    if (message.type === 'profile') {
      this.profile = message.profile;
      this.cardTray.stop();
      this.session.configure(message.profile);
      this.applyBrand(message.profile);
      this.shown = null;
    } else if (message.type === 'view') {
      if (this.session.onScreen(message.view.screen)) this.voice.stop();
      this.view = message.view;
      this.lockedUntil = 0;
      this.root.removeAttribute('aria-busy');
    } else if (message.type === 'face-feedback') {
      this.liveReasons = message.reasons.filter((reason) => typeof reason === 'string').slice(0, 8);
      this.liveReasonsAt = Date.now();
    } else if (message.type === 'card-frame-request') {
      this.sendCardFrame(message.request);
      return;
    } else {
      return;
    }
    this.render();
  }

  /** Answers the main process's request for a still of the card tray: a JPEG, or "none". */
  private sendCardFrame(request: number): void {
    const none = () => this.bridge.send({ type: 'card-frame-none', request });
    if (!this.profile) {
      none();
      return;
    }
    this.cardTray
      .still(this.profile)
      .then((jpeg) => (jpeg ? this.bridge.sendCardFrame(request, jpeg) : none()), none);
  }

  /** When no bridge is there: a message for staff rather than a blank screen. */
  showNotice(key: MessageKey): void {
    const title = heading(this.tr.t(key));
    this.main.replaceChildren(h('section', { class: 'screen screen--notice' }, title));
    this.root.dataset.screen = 'notice';
  }

  private render(): void {
    const { profile, view } = this;
    if (!profile || !view) return;
    this.tr.setLanguage(this.session.language);
    document.documentElement.lang = LANGUAGE_TAGS[this.session.language];
    document.title = this.tr.t('app.title');

    if (view.screen === 'face') {
      this.camera.start(profile.camera, (jpeg) => this.bridge.sendFrame(jpeg)).catch(() => {});
    } else {
      this.camera.stop();
      this.liveReasons = [];
    }

    const identity = [view.screen, this.session.language, view.consent?.items.join() ?? '', view.stop].join(
      '|',
    );
    const arriving = this.shown?.identity !== identity;
    const context = this.context(view, profile, arriving ? Date.now() : undefined);
    const speech: string[] = [];
    if (!this.shown || arriving) {
      const screen = this.build(context);
      this.main.replaceChildren(screen.root);
      this.shown = { identity, screen, view: '', at: context.shownAt };
      this.settledAt = Date.now() + SETTLE_MS;
      delete this.root.dataset.settled;
      window.setTimeout(() => {
        if (this.shown?.screen === screen) this.root.dataset.settled = 'true';
      }, SETTLE_MS);
      screen.heading.focus({ preventScroll: true });
      speech.push(...screen.speech);
    } else if (this.shown.screen.update) {
      speech.push(...this.shown.screen.update(context));
    } else if (this.shown.view !== JSON.stringify(view)) {
      // Same screen, something else on it (staff armed 目視確認 while idle): redrawn quietly.
      const hadFocus = this.main.contains(document.activeElement);
      const screen = this.build(context);
      this.main.replaceChildren(screen.root);
      this.shown.screen = screen;
      if (hadFocus) screen.heading.focus({ preventScroll: true });
    }
    this.shown.view = JSON.stringify(view);

    this.root.dataset.screen = view.screen;
    this.root.dataset.lang = this.session.language;
    this.root.dataset.muted = String(this.session.muted);
    this.root.dataset.camera = this.camera.state;
    this.toolbar.render({
      tr: this.tr,
      languages: this.session.languages,
      muted: this.session.muted,
      logo: profile.brand.logo,
    });

    const prompting = view.continuePrompt;
    const wasOpen = this.prompt.open;
    const promptSpeech = this.prompt.render(prompting, this.tr);
    this.toolbar.root.toggleAttribute('inert', prompting);
    this.main.toggleAttribute('inert', prompting);
    if (wasOpen && !prompting) this.shown.screen.heading.focus({ preventScroll: true });

    this.remind(view);
    const say = promptSpeech.length > 0 ? promptSpeech : speech;
    if (say.length > 0 && !this.session.muted)
      this.voice.say(say.join(' '), this.session.language, view.screen);
  }

  /** A screen this renderer does not know yet (a newer main process) shows "please wait", not nothing. */
  private build(context: ScreenContext): BuiltScreen {
    const builder = SCREEN_BUILDERS[context.view.screen] ?? UNKNOWN_SCREEN;
    return builder(context);
  }

  /** The camera started, or could not: the face screen says so. */
  private cameraChanged(): void {
    this.root.dataset.camera = this.camera.state;
    const { profile, view, shown } = this;
    if (profile && view?.screen === 'face' && shown) shown.screen.update?.(this.context(view, profile));
  }

  /** The take-card reminder sounds on arrival and again, louder, each time the main process counts one more. */
  private remind(view: ViewState): void {
    if (view.screen !== 'take-card') {
      this.reminders = -1;
      return;
    }
    if (view.reminders > this.reminders) this.chime.reminder(reminderLevel(view.reminders));
    this.reminders = view.reminders;
  }

  private context(view: ViewState, profile: KioskRendererProfile, shownAt?: number): ScreenContext {
    const fresh = Date.now() - this.liveReasonsAt < LIVE_REASON_MS;
    return {
      view,
      profile,
      tr: this.tr,
      camera: this.camera,
      liveReasons: fresh ? this.liveReasons : [],
      shownAt: shownAt ?? this.shown?.at ?? Date.now(),
      answer: (command) => this.answer(command),
      press: (command) => this.press(command),
    };
  }

  private answer(command: PatientCommand): void {
    const now = Date.now();
    if (now < this.settledAt || now < this.lockedUntil) return;
    this.lockedUntil = now + ANSWER_LOCK_MS;
    this.root.setAttribute('aria-busy', 'true');
    this.send(command);
  }

  private press(command: PatientCommand): void {
    if (Date.now() < this.settledAt) return;
    this.send(command);
  }

  private send(command: PatientCommand): void {
    this.voice.stop();
    this.bridge.send({ type: 'patient', command });
  }

  private chooseLanguage(language: Language): void {
    if (this.session.choose(language)) this.render();
  }

  private toggleMute(): void {
    if (this.session.toggleMute()) this.voice.stop();
    this.render();
    if (!this.session.muted && this.shown) {
      this.voice.say(this.shown.screen.speech.join(' '), this.session.language, this.view?.screen ?? 'idle');
    }
  }

  private applyBrand(profile: KioskRendererProfile): void {
    const style = document.documentElement.style;
    style.setProperty('--primary', profile.brand.primary);
    style.setProperty('--accent', profile.brand.accent);
    this.root.dataset.vendor = profile.vendor;
    this.root.dataset.orientation = profile.screen.orientation;
  }
}
