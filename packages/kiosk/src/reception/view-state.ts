/**
 * The screen for a flow state: what the renderer is told. The flow's context is projected, never
 * passed on, so nothing the renderer does not need (the card reference, the birth date, the
 * answers so far) leaves the main process.
 */
import type { Screen, ViewState } from '../common/ui-protocol.ts';
import type { FlowContext } from './flow-machine.ts';

interface FlowSnapshot {
  context: FlowContext;
  matches(state: string | object): boolean;
}

const SCREEN_OF: [state: string | object, screen: Screen][] = [
  ['idle', 'idle'],
  ['readingCard', 'reading'],
  ['cardProblem', 'card-problem'],
  ['methodChoice', 'method'],
  ['face', 'face'],
  [{ pin: 'checking' }, 'pin-checking'],
  ['pin', 'pin'],
  ['staff', 'staff'],
  ['verifying', 'verifying'],
  [{ registration: 'registering' }, 'registering'],
  ['registration', 'registration'],
  ['consents', 'consent'],
  ['done', 'done'],
  ['limitInfo', 'limit-info'],
  ['recording', 'recording'],
  ['takeCard', 'take-card'],
];

/** The patient screens that ask 「続けますか？」 have a nested `asking` state. */
const ASKING: (string | object)[] = [
  { methodChoice: 'asking' },
  { pin: { entry: 'asking' } },
  { registration: { asking: 'asking' } },
  { consents: { asking: 'asking' } },
  { limitInfo: 'asking' },
];

export function viewOf(snapshot: FlowSnapshot, pinLength = 0): ViewState {
  const { context } = snapshot;
  const screen = SCREEN_OF.find(([state]) => snapshot.matches(state))?.[1] ?? 'idle';
  const consentOnScreen = screen === 'consent' && context.consentQueue.length > 0;
  return {
    screen,
    continuePrompt: ASKING.some((state) => snapshot.matches(state)),
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
