/**
 * A made-up view for every screen, for previews, screenshots and end-to-end tests: what a patient
 * would see midway through a visit, with the awkward cases in (a name with 𠮷 and 髙, a mask on the
 * face screen, a reminder already sounded).
 */
import type { Screen, ViewState } from '@myna/kiosk/common/ui-protocol.js';

/** 𠮷 (U+20BB7, outside the BMP) and 髙 (U+9AD9): the two names 77 % of clinics saw turned into ●. */
export const SAMPLE_NAME = '𠮷田　髙志';

export function baseView(screen: Screen): ViewState {
  return {
    screen,
    continuePrompt: false,
    stop: null,
    pinLength: 0,
    pinTriesLeft: null,
    faceReasons: [],
    faceAttempt: 0,
    faceAttempts: 2,
    consent: null,
    displayName: null,
    reminders: 0,
    visualCheckArmed: false,
    pinless: false,
  };
}

const SAMPLES: Partial<Record<Screen, Partial<ViewState>>> = {
  'card-problem': { stop: 'not-my-number-card' },
  face: { faceAttempt: 1, faceReasons: ['face-covered'] },
  pin: { pinLength: 2, pinTriesLeft: 3 },
  staff: { stop: 'pin-blocked', pinTriesLeft: 0 },
  consent: { consent: { items: ['medication'], bundled: false } },
  done: { displayName: SAMPLE_NAME },
  'take-card': { reminders: 1 },
};

export function sampleView(screen: Screen, changes: Partial<ViewState> = {}): ViewState {
  return { ...baseView(screen), ...SAMPLES[screen], ...changes };
}
