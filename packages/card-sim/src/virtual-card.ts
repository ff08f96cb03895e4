/**
 * The virtual My Number card: answers raw command APDUs the way the card does, from the tables in
 * shared/MYNUMBER-CARD.md and src/card/spec.ts. Everything above the APDU level (the reader code,
 * pcscd through vpcd, the tests) talks to it only in bytes.
 */
import { randomBytes } from 'node:crypto';
import type { ApduResponder } from '@myna/card/connection.js';
import { CONTACT_ATR, INS, SHORT_READ_MAX, SW } from '@myna/card/spec.js';
import type { Application, BinaryEf, CardContent, Ef, PinEf } from './card-model.ts';
import { type CommandApdu, parseCommandApdu } from './command-apdu.ts';
import { DEFAULT_FAULT_SW, type Fault, GARBAGE, SimulatedRemoval, validateFault } from './faults.ts';
import { computeSignature } from './signing.ts';

export interface VirtualCardOptions {
  /** 'get-response': every response with data comes back as `61 xx` and is fetched by GET RESPONSE. */
  readonly responseStyle?: 'direct' | 'get-response';
  /** Answer `6C xx` whenever a short Le differs from the bytes the card has for it. */
  readonly exactLe?: boolean;
  /** false: the card refuses extended-length APDUs with 6700. Default true. */
  readonly extendedLength?: boolean;
}

interface Response {
  readonly data?: Uint8Array;
  readonly sw: number;
}

const CLA_INTERINDUSTRY = 0x00;
const CLA_PROPRIETARY = 0x80;
const P2_NO_FCI = 0x0c;
const SELECT_BY_NAME = 0x04;
const SELECT_EF = 0x02;
const PIN_REFERENCE = 0x80;
const PRESENCE_P2 = 0x00;
const MAX_SFI = 0x1e;

const status = (sw: number): Response => ({ sw });
const OK = status(SW.ok);

/** `61 xx` / `6C xx` encode 256 as 00. */
const lengthByte = (n: number) => Math.min(n, SHORT_READ_MAX) & 0xff;

export class VirtualMyNumberCard implements ApduResponder {
  readonly atr = CONTACT_ATR;
  readonly extendedLength: boolean;
  readonly holderId: string;
  private readonly responseStyle: 'direct' | 'get-response';
  private readonly exactLe: boolean;
  private readonly applications: readonly Application[];
  private readonly tries = new Map<PinEf, number>();
  private readonly faults: { at: number; fault: Fault }[] = [];
  private processed = 0;

  private currentApp: Application | undefined;
  private currentEf: number | undefined;
  /** PIN EFs verified since the last DF selection or reset. */
  private readonly verified = new Set<PinEf>();
  private pending: Uint8Array | undefined;

  constructor(content: CardContent, options: VirtualCardOptions = {}) {
    this.holderId = content.holderId;
    this.applications = content.applications;
    this.responseStyle = options.responseStyle ?? 'direct';
    this.exactLe = options.exactLe ?? false;
    this.extendedLength = options.extendedLength ?? true;
    for (const app of this.applications) {
      for (const ef of app.efs.values()) if (ef.kind === 'pin') this.tries.set(ef, ef.initialTriesLeft);
    }
  }

  /** APDUs processed since construction, faulted ones included. */
  get commandCount(): number {
    return this.processed;
  }

  /** Tries left per PIN EF, keyed like "jpki.authPin" or "cardFace.verificationB". */
  get triesLeft(): Readonly<Record<string, number>> {
    return Object.freeze(Object.fromEntries([...this.tries].map(([ef, n]) => [ef.label, n])));
  }

  injectFault(fault: Fault): void {
    validateFault(fault);
    this.faults.push({ at: this.processed + fault.atCommand, fault });
  }

  reset(): void {
    this.currentApp = undefined;
    this.currentEf = undefined;
    this.verified.clear();
    this.pending = undefined;
  }

  process(command: Uint8Array): Uint8Array {
    this.processed += 1;
    const due = this.faults.findIndex((f) => f.at === this.processed);
    if (due >= 0) {
      const { fault } = this.faults.splice(due, 1)[0]!;
      if (fault.kind === 'remove') throw new SimulatedRemoval();
      return fault.kind === 'garbage' ? GARBAGE.slice() : encode(status(fault.sw ?? DEFAULT_FAULT_SW));
    }
    return encode(this.execute(command));
  }

  /** In get-response style, park the data and announce it with `61 xx`. */
  private deferred(response: Response): Response {
    if (this.responseStyle === 'direct' || !response.data?.length) return response;
    this.pending = response.data;
    return status(SW.moreDataMask | lengthByte(response.data.length));
  }

  private execute(bytes: Uint8Array): Response {
    const apdu = parseCommandApdu(bytes);
    if (!apdu || (apdu.extended && !this.extendedLength)) return status(SW.wrongLength);
    const claStatus = checkClass(apdu.cla);
    if (claStatus !== undefined) return status(claStatus);
    const handler = this.handlers.get(apdu.ins);
    if (!handler) return status(SW.insNotSupported);
    if (apdu.cla !== handler.cla) return status(SW.claNotSupported);
    if (apdu.ins === INS.getResponse) return this.getResponse(apdu);
    this.pending = undefined;
    return this.deferred(handler.run(apdu));
  }

  private readonly handlers = new Map<number, { cla: number; run: (apdu: CommandApdu) => Response }>([
    [INS.select, { cla: CLA_INTERINDUSTRY, run: (a) => this.select(a) }],
    [INS.readBinary, { cla: CLA_INTERINDUSTRY, run: (a) => this.readBinary(a) }],
    [INS.verify, { cla: CLA_INTERINDUSTRY, run: (a) => this.verify(a) }],
    [INS.getChallenge, { cla: CLA_INTERINDUSTRY, run: (a) => this.getChallenge(a) }],
    [INS.getResponse, { cla: CLA_INTERINDUSTRY, run: (a) => this.getResponse(a) }],
    [INS.computeSignature, { cla: CLA_PROPRIETARY, run: (a) => this.computeSignature(a) }],
  ]);

  private select(apdu: CommandApdu): Response {
    if (apdu.p2 !== P2_NO_FCI) return status(SW.wrongP1P2);
    if (apdu.p1 === SELECT_BY_NAME) {
      if (apdu.data.length === 0) return status(SW.wrongLength);
      const app = this.applications.find((a) => Buffer.from(a.aid).equals(apdu.data));
      if (!app) return status(SW.notFound);
      // Selecting any DF drops the security status of every application.
      this.reset();
      this.currentApp = app;
      return OK;
    }
    if (apdu.p1 === SELECT_EF) {
      if (apdu.data.length !== 2) return status(SW.wrongLength);
      const id = (apdu.data[0]! << 8) | apdu.data[1]!;
      if (!this.currentApp?.efs.has(id)) return status(SW.notFound);
      this.currentEf = id;
      return OK;
    }
    return status(SW.wrongP1P2);
  }

  /**
   * Resolves the EF a READ BINARY / VERIFY addresses: the current EF, or a short EF identifier
   * (`80 | SFI` in the given parameter byte), which also becomes the current EF.
   */
  private target(sfiByte: number | undefined): Ef | number {
    if (sfiByte !== undefined) {
      const sfi = sfiByte & 0x7f;
      if (sfi === 0 || sfi > MAX_SFI) return SW.wrongP1P2;
      if (!this.currentApp?.efs.has(sfi)) return SW.notFound;
      this.currentEf = sfi;
    }
    const ef = this.currentEf === undefined ? undefined : this.currentApp?.efs.get(this.currentEf);
    return ef ?? SW.conditionsNotSatisfied;
  }

  private readBinary(apdu: CommandApdu): Response {
    const shortEf = (apdu.p1 & 0x80) !== 0;
    const ef = this.target(shortEf ? apdu.p1 : undefined);
    if (typeof ef === 'number') return status(ef);
    if (ef.kind !== 'binary') return status(SW.conditionsNotSatisfied);
    if (!this.mayRead(ef)) return status(SW.securityStatus);
    if (apdu.le === undefined) return status(SW.wrongLength);
    const offset = shortEf ? apdu.p2 : ((apdu.p1 & 0x7f) << 8) | apdu.p2;
    if (offset >= ef.data.length) return status(SW.offsetBeyondFile);
    return this.withLe(apdu, ef.data.subarray(offset, offset + apdu.le));
  }

  private mayRead(ef: BinaryEf): boolean {
    const { access } = ef;
    if (access.kind !== 'any-of') return access.kind === 'free';
    return access.pins.some((id) => {
      const pin = this.currentApp?.efs.get(id);
      return pin?.kind === 'pin' && this.verified.has(pin);
    });
  }

  /** Data whose length differs from a short Le: `6C xx` when asked for exactness or when Le is too small. */
  private withLe(apdu: CommandApdu, data: Uint8Array): Response {
    const le = apdu.le ?? 0;
    const mismatch = this.exactLe && !apdu.extended ? le !== data.length : le < data.length;
    if (mismatch) return status(SW.wrongLeMask | lengthByte(data.length));
    return { data, sw: SW.ok };
  }

  private verify(apdu: CommandApdu): Response {
    if (apdu.p1 !== 0x00 || (apdu.p2 & 0x80) === 0 || (apdu.p2 & 0x60) !== 0) return status(SW.wrongP1P2);
    const ef = this.target(apdu.p2 === PIN_REFERENCE ? undefined : apdu.p2);
    if (typeof ef === 'number') return status(ef);
    if (ef.kind !== 'pin') return status(SW.conditionsNotSatisfied);
    const left = this.tries.get(ef)!;
    if (left === 0) return status(SW.blocked);
    if (apdu.data.length === 0) {
      return status(this.verified.has(ef) ? SW.ok : SW.wrongPinMask | left);
    }
    if (Buffer.from(ef.secret).equals(apdu.data)) {
      this.tries.set(ef, ef.maxTries);
      this.verified.add(ef);
      return OK;
    }
    this.tries.set(ef, left - 1);
    this.verified.delete(ef);
    return status(SW.wrongPinMask | (left - 1));
  }

  private computeSignature(apdu: CommandApdu): Response {
    const app = this.currentApp;
    if (!app) return status(SW.conditionsNotSatisfied);
    if (apdu.le === undefined) return status(SW.wrongLength);
    if (app.presenceKey) {
      // Card presence proof: PIN-less, with the card's own key, data signed as given.
      if (apdu.p1 !== 0x00 || apdu.p2 !== PRESENCE_P2) return status(SW.wrongP1P2);
      return this.signed(apdu, computeSignature(app.presenceKey, apdu.p1, apdu.data));
    }
    if (apdu.p2 !== PIN_REFERENCE) return status(SW.wrongP1P2);
    const key = this.currentEf === undefined ? undefined : app.efs.get(this.currentEf);
    if (key?.kind !== 'key') return status(SW.conditionsNotSatisfied);
    const pin = app.efs.get(key.pin);
    if (pin?.kind !== 'pin' || !this.verified.has(pin)) return status(SW.securityStatus);
    return this.signed(apdu, computeSignature(key.privateKey, apdu.p1, apdu.data));
  }

  private signed(apdu: CommandApdu, outcome: ReturnType<typeof computeSignature>): Response {
    return 'sw' in outcome ? status(outcome.sw) : this.withLe(apdu, outcome.signature);
  }

  private getChallenge(apdu: CommandApdu): Response {
    if (apdu.p1 !== 0 || apdu.p2 !== 0) return status(SW.wrongP1P2);
    if (apdu.le === undefined || apdu.data.length > 0) return status(SW.wrongLength);
    return { data: randomBytes(Math.min(apdu.le, SHORT_READ_MAX)), sw: SW.ok };
  }

  private getResponse(apdu: CommandApdu): Response {
    if (apdu.p1 !== 0 || apdu.p2 !== 0) return status(SW.wrongP1P2);
    const pending = this.pending;
    if (!pending) return status(SW.conditionsNotSatisfied);
    if (apdu.le === undefined) return status(SW.wrongLength);
    if (this.exactLe && !apdu.extended && apdu.le > pending.length) {
      return status(SW.wrongLeMask | lengthByte(pending.length));
    }
    const data = pending.subarray(0, apdu.le);
    const rest = pending.subarray(data.length);
    this.pending = rest.length > 0 ? rest : undefined;
    return { data, sw: rest.length > 0 ? SW.moreDataMask | lengthByte(rest.length) : SW.ok };
  }
}

/** Only CLA 00 and 80 on logical channel 0; other channels answer 6881. */
function checkClass(cla: number): number | undefined {
  const firstInterindustry = cla < 0x40 || (cla >= 0x80 && cla < 0xc0);
  const channel = firstInterindustry ? cla & 0x03 : cla < 0x80 ? 4 + (cla & 0x0f) : 0;
  if (channel !== 0) return SW.logicalChannelNotSupported;
  return cla === CLA_INTERINDUSTRY || cla === CLA_PROPRIETARY ? undefined : SW.claNotSupported;
}

function encode(response: Response): Uint8Array {
  const data = response.data ?? new Uint8Array(0);
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = response.sw >> 8;
  out[data.length + 1] = response.sw & 0xff;
  return out;
}
