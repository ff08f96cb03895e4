/**
 * What passes between the kiosk's main process and its renderer (Electron IPC or the Chromium
 * shell's WebSocket): the main process sends the screen to show, the renderer sends what the
 * patient touched. No secret and no decision crosses: PIN digits go to the main process one key
 * at a time and come back only as a count; the name appears on the done screen and nowhere else.
 * Runs everywhere: imports only the protocol's consent list, which imports nothing.
 */

import type { ConsentQuestion } from '@myna/protocol/consent-items.js';

export const SCREENS = [
  'idle',
  'reading',
  'card-problem',
  'method',
  'face',
  'pin',
  'pin-checking',
  'staff',
  'verifying',
  'registration',
  'registering',
  'consent',
  'done',
  'limit-info',
  'recording',
  'take-card',
] as const;
export type Screen = (typeof SCREENS)[number];

/**
 * Why a camera frame cannot be used (the face engine's quality gate), in the order a patient should
 * fix them: the first one found is the one shown.
 */
export const QUALITY_REASONS = [
  'no-face',
  'several-faces',
  'too-far',
  'too-close',
  'off-centre',
  'face-covered',
  'head-turned',
  'head-tilted',
  'too-dark',
  'backlit',
  'blurred',
  'eyes-closed',
  'glasses-glare',
] as const;
export type QualityReason = (typeof QUALITY_REASONS)[number];

export { CONSENT_QUESTIONS, type ConsentQuestion } from '@myna/protocol/consent-items.js';

/** Why a visit stopped short: the flow's StopReason (src/reception/flow-types.ts) is this type. */
export type StopCode =
  | 'card-removed'
  | 'not-my-number-card'
  | 'card-error'
  | 'pin-blocked'
  | 'face-failed'
  | 'pinless-needs-staff'
  | 'upstream-unreachable'
  | 'upstream-refused'
  | 'registration-declined'
  | 'timed-out'
  | 'patient-exit'
  /** The kiosk itself failed (its store): staff, and a line for clinic IT. */
  | 'kiosk-fault';

export interface ViewState {
  screen: Screen;
  /** The screen's time-out passed: show 「続けますか？」 over it. */
  continuePrompt: boolean;
  /** Why the last visit (or this one) stopped short; null when nothing went wrong. */
  stop: StopCode | null;
  /** Digits typed so far, shown masked. */
  pinLength: number;
  pinTriesLeft: number | null;
  /** Quality or liveness reason codes from the last face attempt (e.g. `face-covered`). */
  faceReasons: string[];
  faceAttempt: number;
  faceAttempts: number;
  /** The consent question(s) on screen now: one item, or several when the clinic bundles them. */
  consent: { items: ConsentQuestion[]; bundled: boolean } | null;
  /** The patient's name: on the done screen only. */
  displayName: string | null;
  /** How many times the take-card reminder has sounded: the reminder grows with it. */
  reminders: number;
  /** Staff have switched 目視確認 on for the next patient. */
  visualCheckArmed: boolean;
  /** The PIN-less card (顔認証マイナンバーカード): no PIN button. */
  pinless: boolean;
}

/** What the patient can do from the renderer. */
export type PatientCommand =
  | { type: 'CHOOSE_FACE' }
  | { type: 'CHOOSE_PIN' }
  | { type: 'CHOOSE_EXIT' }
  | { type: 'PIN_DIGIT'; digit: number }
  | { type: 'PIN_BACKSPACE' }
  | { type: 'PIN_SUBMIT' }
  | { type: 'CANCEL' }
  | { type: 'CONSENT'; agree: boolean }
  | { type: 'REGISTER'; agree: boolean }
  | { type: 'LIMIT_INFO'; provide: boolean }
  | { type: 'CONTINUE' };

/** What clinic staff can do (operator panel, staff key). */
export type StaffCommand = { type: 'STAFF_VISUAL_CHECK' } | { type: 'STAFF_CONFIRMED' };

export const PIN_DIGITS = 4;

/** Checks a command that arrived from the renderer; anything else is dropped (the renderer is untrusted). */
export function parsePatientCommand(value: unknown): PatientCommand | null {
  if (typeof value !== 'object' || value === null) return null;
  const command = value as Record<string, unknown>;
  const keys = Object.keys(command);
  const only = (...allowed: string[]) => keys.every((k) => k === 'type' || allowed.includes(k));
  switch (command.type) {
    case 'CHOOSE_FACE':
    case 'CHOOSE_PIN':
    case 'CHOOSE_EXIT':
    case 'PIN_BACKSPACE':
    case 'PIN_SUBMIT':
    case 'CANCEL':
    case 'CONTINUE':
      return only() ? { type: command.type } : null;
    case 'PIN_DIGIT':
      return only('digit') &&
        Number.isInteger(command.digit) &&
        (command.digit as number) >= 0 &&
        (command.digit as number) <= 9
        ? { type: 'PIN_DIGIT', digit: command.digit as number }
        : null;
    case 'CONSENT':
    case 'REGISTER':
      return only('agree') && typeof command.agree === 'boolean'
        ? { type: command.type, agree: command.agree }
        : null;
    case 'LIMIT_INFO':
      return only('provide') && typeof command.provide === 'boolean'
        ? { type: 'LIMIT_INFO', provide: command.provide }
        : null;
    default:
      return null;
  }
}

/** Degrees clockwise that turn a card-tray picture so the tray's near edge is at the bottom. */
export type CardCameraRotation = 0 | 90 | 180 | 270;

/**
 * The reader's camera over the card tray, for reading the card front: a video device of its own
 * (by part of its label), or a region of the face camera's picture (fractions of its width and
 * height).
 */
export type CardCameraSettings =
  | { source: 'device'; deviceLabel: string; width: number; height: number; rotation: CardCameraRotation }
  | {
      source: 'face-camera';
      region: { x: number; y: number; width: number; height: number };
      rotation: CardCameraRotation;
    };

/** What the renderer is told about the vendor's hardware and the clinic's choices (no secrets). */
export interface RendererProfile {
  vendor: string;
  /** Card placement guide: image or animation URL under /assets, and its caption keys. */
  cardGuide: { image: string; orientation: 'portrait' | 'landscape' | 'either'; textKey: string };
  brand: { primary: string; accent: string; logo: string | null };
  screen: { orientation: 'portrait' | 'landscape'; width: number; height: number };
  camera: { width: number; height: number; facingMode: 'user' | 'environment'; deviceLabel?: string };
  /** Absent: the reader has no camera over the card tray. */
  cardCamera?: CardCameraSettings;
  languages: string[];
  defaultLanguage: string;
}

/** Main process → renderer. */
export type MainMessage =
  | { type: 'view'; view: ViewState }
  | { type: 'profile'; profile: RendererProfile }
  /** Live reasons while the camera runs (「もう少し近づいてください」), per analysed frame. */
  | { type: 'face-feedback'; reasons: string[] }
  /** One still of the card tray, please: answered by sendCardFrame or `card-frame-none`. */
  | { type: 'card-frame-request'; request: number };

/** Renderer → main process. Camera frames travel separately, as JPEG bytes. */
export type RendererMessage =
  | { type: 'patient'; command: PatientCommand }
  | { type: 'ready' }
  /** No card-tray still can be had for this request (no card camera, or it cannot be opened). */
  | { type: 'card-frame-none'; request: number };

/** Card-frame requests are numbered by the main process, wrapping at 2^32. */
export const isCardFrameRequest = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffff_ffff;

/**
 * The bridge the renderer sees as `window.kiosk`: Electron's preload exposes it through
 * contextBridge, the Chromium shell's page script implements it over the token-authenticated
 * WebSocket. The renderer uses nothing else to reach the main process.
 */
export interface KioskBridge {
  onMessage(listener: (message: MainMessage) => void): () => void;
  send(message: RendererMessage): void;
  /** One camera frame, JPEG, sent only while the face screen is shown. */
  sendFrame(jpeg: ArrayBuffer): void;
  /** The answer to a `card-frame-request`: one still of the card tray, JPEG. */
  sendCardFrame(request: number, jpeg: ArrayBuffer): void;
}
