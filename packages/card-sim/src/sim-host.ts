/**
 * One simulated card on a vpcd reader, as `kiosk sim card` runs it: the current person's card, the
 * link to vpcd and the controls (insert, remove, swap person, faults) the control channel exposes.
 */
import { EventEmitter } from 'node:events';
import { type CardFactoryOptions, virtualCardFor } from './card-factory.ts';
import type { SimController, SimStatus } from './control.ts';
import type { Fault } from './faults.ts';
import type { VirtualMyNumberCard } from './virtual-card.ts';
import { VpcdLink, type VpcdLinkOptions } from './vpcd-link.ts';

export interface SimHostOptions extends VpcdLinkOptions {
  readonly card?: CardFactoryOptions;
}

export interface SimHostEvents {
  /** One human-readable line per state change; never a PIN or any card secret. */
  status: [line: string];
  quit: [];
}

export class SimHost extends EventEmitter<SimHostEvents> implements SimController {
  private cardValue: VirtualMyNumberCard;
  readonly link: VpcdLink;

  constructor(
    personFile: string,
    private readonly options: SimHostOptions = {},
  ) {
    super();
    this.cardValue = virtualCardFor(personFile, options.card);
    this.link = new VpcdLink(this.cardValue, options);
    const where = `vpcd at ${this.link.host}:${this.link.port}`;
    this.link.on('inserted', () =>
      this.emit('status', `card inserted (person ${this.card.holderId}, ${where})`),
    );
    this.link.on('removed', (reason) => this.emit('status', `card removed (${reason})`));
    this.link.on('waiting', (code) => this.emit('status', `waiting for ${where} (${code})`));
    this.link.on('error', (error) =>
      this.emit('status', `card error answered 6F00: ${(error as Error).message}`),
    );
  }

  get card(): VirtualMyNumberCard {
    return this.cardValue;
  }

  insert(): Promise<void> {
    return this.link.insert();
  }

  remove(): Promise<void> {
    return this.link.remove();
  }

  async loadPerson(file: string): Promise<void> {
    // Build first: a bad file leaves the current card where it is.
    const card = virtualCardFor(file, this.options.card);
    await this.link.remove();
    this.cardValue = card;
    this.link.card = card;
    this.emit('status', `person ${card.holderId} loaded`);
    await this.link.insert();
  }

  injectFault(fault: Fault): void {
    this.cardValue.injectFault(fault);
    this.emit(
      'status',
      `fault armed: ${fault.kind} at APDU ${this.cardValue.commandCount + fault.atCommand}`,
    );
  }

  status(): SimStatus {
    return {
      inserted: this.link.inserted,
      commandCount: this.cardValue.commandCount,
      person: this.cardValue.holderId,
      triesLeft: this.cardValue.triesLeft,
    };
  }

  async quit(): Promise<void> {
    await this.link.remove();
    this.emit('quit');
  }
}
