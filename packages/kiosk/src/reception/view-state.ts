/**
 * The screen for a flow state: what the renderer is told. The flow's context is projected, never
 * passed on, so nothing the renderer does not need (the card reference, the birth date, the
 * answers so far) leaves the main process.
 */
import type { SnapshotFrom } from 'xstate';
import type { Screen, ViewState } from '../common/ui-protocol.ts';
import { CONTINUE_PROMPT, type flowMachine } from './flow-machine.ts';

export type FlowSnapshot = SnapshotFrom<typeof flowMachine>;

/** The screen the state's own `meta` names: exactly one active state node names one. */
export function screenOf(snapshot: FlowSnapshot): Screen {
  const screens = Object.values(snapshot.getMeta()).flatMap((meta) => (meta ? [meta.screen] : []));
  const [screen] = screens;
  if (screen === undefined || screens.length > 1) {
    throw new Error(`flow state ${JSON.stringify(snapshot.value)} names ${screens.length} screens, not one`);
  }
  return screen;
}

export function viewOf(snapshot: FlowSnapshot, pinLength = 0): ViewState {
  const { context } = snapshot;
  const screen = screenOf(snapshot);
  const consentOnScreen = screen === 'consent' && context.consentQueue.length > 0;
  return {
    screen,
    continuePrompt: snapshot.hasTag(CONTINUE_PROMPT),
    stop: context.stop,
    pinLength: screen === 'pin' ? pinLength : 0,
    pinTriesLeft: context.pinTriesLeft ?? context.card?.pinTriesLeft ?? null,
    faceReasons: context.faceReasons,
    faceAttempt: context.faceTries,
    faceAttempts: context.config.faceAttempts,
    consent: consentOnScreen
      ? {
          items: context.config.bundledConsent ? [...context.consentQueue] : context.consentQueue.slice(0, 1),
          bundled: context.config.bundledConsent,
        }
      : null,
    displayName: screen === 'done' ? (context.qualification?.displayName ?? null) : null,
    reminders: screen === 'take-card' ? context.reminders : 0,
    visualCheckArmed: context.visualCheckNext,
    pinless: context.card?.pinless === true,
  };
}
