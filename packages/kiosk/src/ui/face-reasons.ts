/**
 * Every reason code the main process may put in ViewState.faceReasons or a 'face-feedback'
 * message, with a patient text under `reason.<code>` in every locale. The renderer may not import
 * the face engine, so the codes are listed here; test/unit/ui/locales.test.ts fails when the face
 * engine, the camera check or the card-front read gains a code this list lacks, and ja.ts fails
 * to compile when this list gains a code without a text.
 */
import { QUALITY_REASONS } from '../common/ui-protocol.ts';

export const FACE_REASONS = [
  // The quality gate, in the order a patient fixes a frame.
  ...QUALITY_REASONS,
  // Liveness (src/face/liveness/liveness.ts).
  'antispoof-low',
  'liveness-low',
  'challenge-not-completed',
  'no-blink',
  'no-turn',
  'face-lost',
  'timeout',
  // The live session and the camera check (src/kiosk/face/camera-reasons.ts). Left and right
  // are the patient's own, as they face the camera.
  'challenge-blink',
  'challenge-turn-left',
  'challenge-turn-right',
  'face-changed',
  'frame-undecodable',
  'no-camera',
  'cancelled',
  'card-photo-undecodable',
  'card-photo-no-face',
  // The card front, which the patient fixes by placing the card again (src/reception/card-front-reasons.ts).
  'card-front-back',
  'card-front-missing',
  'card-front-other-card',
  'card-front-glare',
  'card-front-covered',
] as const;

export type FaceReason = (typeof FACE_REASONS)[number];
