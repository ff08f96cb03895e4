/**
 * Why a camera frame cannot be used, as stable codes. The UI turns a code into the patient's
 * message and remedy; clinic IT and the audit log see the code. Listed in the order a patient
 * should fix them: the first one found is the one shown.
 */
// The codes are part of what the renderer is told (ViewState.faceReasons), so they live with that contract.
export { QUALITY_REASONS, type QualityReason } from '../common/ui-protocol.ts';

import type { QualityReason } from '../common/ui-protocol.ts';

/** The patient's message (Japanese default, English) for each reason: what is wrong and what to do. */
export const REASON_TEXT: Record<QualityReason, { ja: string; en: string }> = {
  'no-face': { ja: '顔を枠内に入れてください。', en: 'Please bring your face into the frame.' },
  'several-faces': {
    ja: 'お一人ずつカメラの前にお立ちください。',
    en: 'Please stand in front of the camera one person at a time.',
  },
  'too-far': { ja: 'もう少し近づいてください。', en: 'Please come a little closer.' },
  'too-close': { ja: 'もう少し離れてください。', en: 'Please move back a little.' },
  'off-centre': { ja: '顔を枠の中央に合わせてください。', en: 'Please centre your face in the frame.' },
  'face-covered': { ja: 'マスクを外してください。', en: 'Please take off your mask.' },
  'head-turned': { ja: 'カメラの正面を向いてください。', en: 'Please look straight at the camera.' },
  'head-tilted': { ja: '顔をまっすぐにしてください。', en: 'Please hold your head straight.' },
  'too-dark': {
    ja: 'お顔が暗く写っています。明るい場所でお試しください。',
    en: 'Your face is too dark. Please try where it is brighter.',
  },
  backlit: {
    ja: '後ろからの光が強すぎます。立つ位置を少し変えてください。',
    en: 'The light behind you is too strong. Please move a little.',
  },
  blurred: { ja: 'そのまま動かずにお待ちください。', en: 'Please hold still.' },
  'eyes-closed': {
    ja: '目を開けてカメラを見てください。',
    en: 'Please open your eyes and look at the camera.',
  },
  'glasses-glare': {
    ja: '眼鏡が光っています。眼鏡を外すか、少し顔の向きを変えてください。',
    en: 'Your glasses reflect light. Please take them off or tilt your head slightly.',
  },
};

/** Reasons that still allow a match: advice to the patient, not a reason to discard the frame. */
export const ADVISORY_REASONS: ReadonlySet<QualityReason> = new Set(['glasses-glare']);
