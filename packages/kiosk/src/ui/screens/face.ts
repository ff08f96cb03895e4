import type { CameraState } from '../camera.ts';
import { button, h, paragraph } from '../dom.ts';
import { layout, type ScreenBuilder, type ScreenContext } from './screen.ts';

/** A reason is read out again only after this long: a voice repeating itself every frame helps no one. */
const REPEAT_MS = 8000;
/** Nor is a new reason allowed to cut off the last sentence before it could be understood. */
const MIN_GAP_MS = 2500;

/**
 * The reason to show: the live one from the frames being analysed now, else the last attempt's.
 * The face engine lists reasons in the order a patient should fix them, so the first one is it.
 */
export function reasonToShow(live: readonly string[], lastAttempt: readonly string[]): string | null {
  return live[0] ?? lastAttempt[0] ?? null;
}

function reasonText(context: ScreenContext, code: string | null): string {
  return code ? context.tr.tDynamic(`reason.${code}`, 'reason.unknown') : '';
}

/**
 * 「顔を枠内に入れてください。」 The live camera with the oval the face goes into, what to fix now
 * (「マスクを外してください」「もう少し近づいてください」), and a way back. The camera itself is
 * started and stopped by the app as this screen comes and goes.
 */
export const faceScreen: ScreenBuilder = (context) => {
  const { t } = context.tr;
  const reason = h('p', { class: 'reason', role: 'status', 'aria-live': 'polite', id: 'face-reason' });
  const attempt = h('p', { class: 'attempt' });
  const status = h('p', { class: 'camera-status', role: 'alert' });
  const frame = h(
    'div',
    { class: 'camera-frame' },
    context.camera.video,
    h('div', { class: 'face-oval', 'aria-hidden': 'true' }),
  );
  context.camera.video.setAttribute('aria-label', t('face.preview'));
  let shown: string | null = null;
  // The arrival speech counts as spoken now: the first frames must not cut it off.
  let spokenAt = Date.now();

  const showCamera = (state: CameraState) => {
    frame.dataset.camera = state;
    frame.hidden = state === 'unavailable';
    status.textContent =
      state === 'unavailable' ? t('face.noCamera') : state === 'starting' ? t('face.starting') : '';
    status.hidden = status.textContent === '';
  };

  const refresh = (next: ScreenContext): string[] => {
    const { faceAttempt, faceAttempts, faceReasons } = next.view;
    attempt.textContent = t('face.attempt', { attempt: Math.max(faceAttempt, 1), attempts: faceAttempts });
    showCamera(next.camera.state);
    const code = reasonToShow(next.liveReasons, faceReasons);
    reason.textContent = reasonText(next, code);
    reason.hidden = code === null;
    const quiet = Date.now() - spokenAt;
    const say = code !== null && ((code !== shown && quiet > MIN_GAP_MS) || quiet > REPEAT_MS);
    if (!say) return [];
    shown = code;
    spokenAt = Date.now();
    return [reasonText(next, code)];
  };

  const side: HTMLElement = h(
    'div',
    { class: 'stack' },
    paragraph(t('face.camera'), 'lead'),
    reason,
    attempt,
    status,
  );
  const built = layout(
    {
      name: 'face',
      title: t('face.heading'),
      split: true,
      content: [frame, side],
      actions: [button(t('face.back'), () => context.answer({ type: 'CANCEL' }), 'quiet', 'face-back')],
      speech: [t('face.heading'), t('face.camera')],
    },
    refresh,
  );
  refresh(context);
  const first = reasonToShow(context.liveReasons, context.view.faceReasons);
  shown = first;
  if (first !== null) built.speech.push(reasonText(context, first));
  return built;
};
