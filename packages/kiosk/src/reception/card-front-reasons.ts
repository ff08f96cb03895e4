/**
 * Why the card front could not be read, as the face screen tells the patient: each of these the
 * patient fixes by placing the card again, so the flow tries the face path again with the reason
 * on screen. Every other refusal of the 照合番号B gate protects the card, and the patient is
 * offered the PIN. The renderer lists these codes again in src/ui/face-reasons.ts.
 */
import type { ReadRefusal } from '@myna/card/card-front-read.js';
import type { GateRefusal } from '../card-front/number-b-gate.ts';

export type CardFrontReason =
  /** The back side is up. */
  | 'card-front-back'
  /** No card on the tray, or part of it outside the camera's view. */
  | 'card-front-missing'
  | 'card-front-other-card'
  | 'card-front-glare'
  /** The text cannot be read: a hand or a case over it, blur, or no still of it at all. */
  | 'card-front-covered';

/**
 * Every gate refusal but the date checks, so that a new code fails to compile until it is placed
 * here. A read whose dates cannot be a real card's leaves the reader in doubt about the card
 * itself: placing it again would only ask for the same doubtful read, so the PIN is offered.
 */
const PLACE_AGAIN: Record<Exclude<GateRefusal, ReadRefusal>, CardFrontReason | null> = {
  'card-back': 'card-front-back',
  'no-card': 'card-front-missing',
  'card-cut-off': 'card-front-missing',
  'other-card': 'card-front-other-card',
  glare: 'card-front-glare',
  'no-text': 'card-front-covered',
  'birth-unread': 'card-front-covered',
  'valid-until-unread': 'card-front-covered',
  'security-code-unread': 'card-front-covered',
  'security-code-ambiguous': 'card-front-covered',
  'low-confidence': 'card-front-covered',
  'frames-disagree': 'card-front-covered',
  'no-camera-frame': 'card-front-covered',
  // The card camera gives something that is not a picture: placing the card again cannot help.
  'not-an-image': null,
  'no-card-front-reader': null,
  'tries-low': null,
  'number-b-blocked': null,
  'no-number-b': null,
  'wrong-number-b': null,
  'refused-for-this-card': null,
};

/** The patient's reason for a refusal they can fix by placing the card again; null: offer the PIN. */
export function cardFrontReason(code: GateRefusal): CardFrontReason | null {
  return (PLACE_AGAIN as Partial<Record<GateRefusal, CardFrontReason | null>>)[code] ?? null;
}
