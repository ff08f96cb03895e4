/**
 * The consents a patient gives at the kiosk, listed once: the kiosk's screens and flow, the
 * upstream's records and the OQS result document all take them from here. Imports nothing, so the
 * renderer's contract can use it too.
 */

/**
 * The consent questions, in the order the flow asks them (one per screen, or bundled): 過去のお薬情報
 * and 過去の健診情報 by default, 診療情報 and 手術情報 where the clinic enables them.
 */
export const CONSENT_QUESTIONS = ['medication', 'checkup', 'diagnosis', 'surgery'] as const;
export type ConsentQuestion = (typeof CONSENT_QUESTIONS)[number];

/**
 * Every consent the upstream records: the questions, and 限度額情報 (limit information for the
 * high-cost medical expense benefit), asked on a screen of its own after reception is complete.
 */
export const CONSENT_ITEMS = [...CONSENT_QUESTIONS, 'limit-info'] as const;
export type ConsentItem = (typeof CONSENT_ITEMS)[number];

/**
 * The OQS element prefix of each question's flags in a result (`…ConsFlg`, `…ConsTime`,
 * `…AvailableTime`); limit information has no flag of its own.
 */
export const CONSENT_OQS_ELEMENT = {
  medication: 'PharmacistsInfo',
  checkup: 'SpecificHealthCheckupsInfo',
  diagnosis: 'DiagnosisInfo',
  surgery: 'OperationInfo',
} as const satisfies Record<ConsentQuestion, string>;
