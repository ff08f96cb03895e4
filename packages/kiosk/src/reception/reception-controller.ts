/**
 * The main process's side of the patient screens: turns what the patient touched into flow events
 * and the flow's state into the view the renderer draws. The PIN is collected here one digit at a
 * time (the renderer only learns how many digits there are), handed to the flow once complete, and
 * wiped whenever the PIN screen is left.
 */
import type { ActorRefFrom } from 'xstate';
import { type PatientCommand, PIN_DIGITS, type StaffCommand, type ViewState } from '../common/ui-protocol.ts';
import type { flowMachine } from './flow-machine.ts';
import { viewOf } from './view-state.ts';

export class ReceptionController {
  private digits: number[] = [];
  private readonly listeners = new Set<(view: ViewState) => void>();
  private last = '';
  private readonly subscription: { unsubscribe(): void };
  private readonly now: () => Date;

  constructor(
    private readonly actor: ActorRefFrom<typeof flowMachine>,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.subscription = actor.subscribe(() => this.changed());
  }

  view(): ViewState {
    return viewOf(this.actor.getSnapshot(), this.digits.length);
  }

  /** Calls `listener` with every new view (and once now). */
  onView(listener: (view: ViewState) => void): () => void {
    this.listeners.add(listener);
    listener(this.view());
    return () => this.listeners.delete(listener);
  }

  patient(command: PatientCommand): void {
    switch (command.type) {
      case 'PIN_DIGIT':
        if (this.view().screen === 'pin' && this.digits.length < PIN_DIGITS) this.digits.push(command.digit);
        this.changed(true);
        return;
      case 'PIN_BACKSPACE':
        this.digits.pop();
        this.changed(true);
        return;
      case 'PIN_SUBMIT': {
        if (this.view().screen !== 'pin' || this.digits.length !== PIN_DIGITS) return;
        const pin = this.digits.join('');
        this.wipe();
        this.actor.send({ type: 'PIN_ENTERED', pin });
        return;
      }
      // Each answer carries the time it was given, from the kiosk's clock.
      case 'CONSENT':
      case 'LIMIT_INFO':
        this.actor.send({ ...command, at: this.now().toISOString() });
        return;
      default:
        this.actor.send(command);
    }
  }

  staff(command: StaffCommand): void {
    this.actor.send(command);
  }

  card(present: boolean, today?: string): void {
    this.actor.send(present ? { type: 'CARD_INSERTED', today } : { type: 'CARD_REMOVED' });
  }

  stop(): void {
    this.subscription.unsubscribe();
    this.wipe();
    this.listeners.clear();
  }

  private wipe(): void {
    this.digits.fill(0);
    this.digits = [];
  }

  private changed(force = false): void {
    if (this.view().screen !== 'pin' && this.digits.length > 0) this.wipe();
    const view = this.view();
    const key = JSON.stringify(view);
    if (!force && key === this.last) return;
    this.last = key;
    for (const listener of this.listeners) listener(view);
  }
}
