/**
 * Reason codes of the camera face check that src/face/reasons.ts does not hold (that list is the
 * quality gate's, in the order a patient fixes a frame), with the patient's message for each.
 * The quality and liveness codes keep their own texts where they are defined.
 */
import type { LiveSessionReason } from '../../face/worker/live-session.ts';

export type CameraCheckReason =
  | LiveSessionReason
  /** No camera frame arrived while the check ran: camera unplugged, or the renderer not sending. */
  | 'no-camera'
  /** The face screen was left, or a new check began, before this one decided. */
  | 'cancelled';

export const CAMERA_REASON_TEXT: Record<CameraCheckReason, { ja: string; en: string }> = {
  'no-camera': {
    ja: 'カメラが使えません。係員にお知らせください。',
    en: 'The camera is not available. Please call a member of staff.',
  },
  cancelled: { ja: '顔認証を中止しました。', en: 'Face authentication was cancelled.' },
  'frame-undecodable': {
    ja: 'カメラの映像を読み取れません。係員にお知らせください。',
    en: 'The camera picture cannot be read. Please call a member of staff.',
  },
  'card-photo-undecodable': {
    ja: 'カードの顔写真を読み取れません。暗証番号で確認してください。',
    en: 'The photo on the card cannot be read. Please use your PIN.',
  },
  'card-photo-no-face': {
    ja: 'カードの顔写真を照合に使えません。暗証番号で確認してください。',
    en: 'The photo on the card cannot be used. Please use your PIN.',
  },
  'challenge-blink': { ja: 'ゆっくりまばたきをしてください。', en: 'Please blink slowly.' },
  'challenge-turn-left': {
    ja: '顔を少し左に向けて、正面に戻してください。',
    en: 'Please turn your head a little to your left, then back.',
  },
  'challenge-turn-right': {
    ja: '顔を少し右に向けて、正面に戻してください。',
    en: 'Please turn your head a little to your right, then back.',
  },
  'face-changed': {
    ja: 'お一人でカメラの正面にお立ちください。',
    en: 'Please stand alone in front of the camera.',
  },
};
