/**
 * What the reception flow knows and hears. The context never holds a secret: a PIN travels only in
 * the PIN_ENTERED event to the verifying actor; face frames never enter the machine at all.
 */

import { CONSENT_QUESTIONS, type ConsentQuestion } from '@myna/protocol/consent-items.js';
import type { StopCode } from '../common/ui-protocol.ts';

/** The consents the flow asks on its consent screens (limit information is a step of its own). */
export const CONSENT_ITEMS = CONSENT_QUESTIONS;
export type ConsentItem = ConsentQuestion;

export interface FlowConfig {
  /** Consent questions the clinic asks, in order; 'checkup' is asked only at 40 or over. */
  consents: ConsentItem[];
  /** Ask all enabled consents on one screen instead of one per screen. */
  bundledConsent: boolean;
  /** Offer the 限度額 (limit information) question after completion. */
  limitInfo: boolean;
  /** Face match attempts before falling back to the PIN. */
  faceAttempts: number;
  /** Per-screen time-outs (ms): then 「続けますか？」, then give up. */
  screenTimeoutMs: number;
  continuePromptMs: number;
  /** How long the done screen shows the name. */
  doneMs: number;
  /** Reminder interval while a finished card is still on the reader. */
  takeCardReminderMs: number;
  /**
   * How long a visit's document waits for the upstream's answer to a 限度額 agreement, which alone
   * carries the limit certificate; then it goes without it (see result-documents.ts).
   */
  limitCertificateWaitMs: number;
}

export const DEFAULT_FLOW_CONFIG: FlowConfig = {
  consents: ['medication', 'checkup'],
  bundledConsent: false,
  limitInfo: true,
  faceAttempts: 2,
  screenTimeoutMs: 60_000,
  continuePromptMs: 20_000,
  doneMs: 4_000,
  takeCardReminderMs: 5_000,
  limitCertificateWaitMs: 5_000,
};

/** One answer of the patient, with the time it was given (ISO 8601): each consent carries its own. */
export interface Answer {
  item: ConsentItem | 'limit-info';
  agreed: boolean;
  at: string;
}

/** What reading a placed card tells, before any PIN: no personal data. */
export interface CardFacts {
  /** Keyed hash of the certificate serial: identifies the card in the audit log. */
  cardRef: string;
  pinless: boolean;
  pinTriesLeft: number | null;
}

/** The upstream's answer to a verified request: shown to the patient, then forgotten. */
export interface Qualification {
  displayName: string;
  /** YYYY-MM-DD, verified upstream: decides the 特定健診 question. */
  birthDate: string;
  /** 健康保険証利用の申込 done. */
  registered: boolean;
}

export type FaceOutcome =
  | { decision: 'accept'; score: number }
  | { decision: 'reject' | 'undecided'; reasons: string[] };

export type PinOutcome = { result: 'ok' } | { result: 'wrong'; triesLeft: number } | { result: 'blocked' };

export type FlowEvent =
  /** `today` (YYYY-MM-DD, from the kiosk's clock) dates the visit: it decides the age-40 question. */
  | { type: 'CARD_INSERTED'; today?: string }
  | { type: 'CARD_REMOVED' }
  | { type: 'CHOOSE_FACE' }
  | { type: 'CHOOSE_PIN' }
  | { type: 'CHOOSE_EXIT' }
  | { type: 'PIN_ENTERED'; pin: string }
  | { type: 'CANCEL' }
  /** `at`: when the patient answered (ISO 8601), stamped by the kiosk, never by the renderer. */
  | { type: 'CONSENT'; agree: boolean; at: string }
  | { type: 'REGISTER'; agree: boolean }
  | { type: 'LIMIT_INFO'; provide: boolean; at: string }
  | { type: 'CONTINUE' }
  /** Staff switch 目視確認 on for the next patient only. */
  | { type: 'STAFF_VISUAL_CHECK' }
  /** Staff confirmed the patient's identity by sight. */
  | { type: 'STAFF_CONFIRMED' };

/** Why the flow stopped short: the code the screen and the audit log use (shared with the renderer). */
export type StopReason = StopCode;
