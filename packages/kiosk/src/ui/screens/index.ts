import type { Screen } from '../../common/ui-protocol.ts';
import { consentScreen } from './consent.ts';
import { doneScreen } from './done.ts';
import { faceScreen } from './face.ts';
import { idleScreen } from './idle.ts';
import { methodScreen } from './method.ts';
import { pinScreen } from './pin.ts';
import { questionScreen } from './question.ts';
import type { ScreenBuilder } from './screen.ts';
import { stopNoticeScreen } from './stop-notice.ts';
import { takeCardScreen } from './take-card.ts';
import { waitingScreen } from './waiting.ts';

/** One builder per screen of the contract; the type makes a new screen without one a compile error. */
export const SCREEN_BUILDERS: Record<Screen, ScreenBuilder> = {
  idle: idleScreen,
  reading: waitingScreen('reading', 'reading.heading', 'reading.body'),
  'card-problem': stopNoticeScreen('card-problem', 'cardProblem.heading', 'cardProblem.body'),
  method: methodScreen,
  face: faceScreen,
  pin: pinScreen,
  'pin-checking': waitingScreen('pin-checking', 'pinChecking.heading', 'pinChecking.body'),
  staff: stopNoticeScreen('staff', 'staff.heading', 'staff.body', 'staff-icon'),
  verifying: waitingScreen('verifying', 'verifying.heading', 'verifying.body'),
  registration: questionScreen({
    name: 'registration',
    title: 'registration.heading',
    body: 'registration.body',
    yes: ['registration.yes', { type: 'REGISTER', agree: true }],
    no: ['registration.no', { type: 'REGISTER', agree: false }],
  }),
  registering: waitingScreen('registering', 'registering.heading', 'registering.body'),
  consent: consentScreen,
  done: doneScreen,
  'limit-info': questionScreen({
    name: 'limit-info',
    title: 'limitInfo.heading',
    body: 'limitInfo.body',
    yes: ['limitInfo.yes', { type: 'LIMIT_INFO', provide: true }],
    no: ['limitInfo.no', { type: 'LIMIT_INFO', provide: false }],
  }),
  recording: waitingScreen('recording', 'recording.heading', 'recording.body'),
  'take-card': takeCardScreen,
};
