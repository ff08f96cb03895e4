/**
 * The gate between the optical read of the card front and the card: 照合番号B goes to the card only
 * when it is as sure as a typed number, because every wrong one costs a try of a secret the holder
 * must have reset at the municipal office once it locks. At most one VERIFY per call, never a
 * retry; after one wrong number the card is never opened optically again by this kiosk.
 */
import type { SecretStatus } from '@myna/card/apps/secret.js';
import { type CardFrontRead, numberBFromRead, type ReadRefusal } from '@myna/card/card-front-read.js';
import { CodedError } from '@myna/protocol/coded-error.js';
import { japanIsoDate } from '@myna/protocol/oqs/oqs-time.js';
import type { CardFrontProblem } from './card-front-reader.ts';

/**
 * The next camera frame's read of the card front, or why that frame could not be read; null where
 * the kiosk has no card-front reader.
 */
export type CardFrontSource = () => Promise<CardFrontRead | { problem: CardFrontProblem } | null>;

/** The card-face application as the gate needs it (CardFaceSession). */
export interface NumberBLock {
  numberBStatus(): Promise<SecretStatus>;
  verifyNumberB(numberB: string): Promise<void>;
}

export type GateRefusal =
  | ReadRefusal
  | CardFrontProblem
  | 'no-card-front-reader'
  | 'low-confidence'
  | 'frames-disagree'
  | 'tries-low'
  | 'number-b-blocked'
  | 'no-number-b'
  | 'wrong-number-b'
  | 'refused-for-this-card';

/** The face path cannot open the card photo optically: the flow offers the PIN instead. */
export class OpticalReadRefusedError extends CodedError<GateRefusal> {
  constructor(code: GateRefusal, options?: { cause?: unknown }) {
    // The code is the whole story: no read field, and never the number, goes into the message.
    super(code, `card-front read refused: ${code}`, options);
  }
}

export interface NumberBGateOptions {
  /**
   * Every field of a frame must be read at least this sure (0..1). Set high until the card-front
   * reader's benchmark calibrates it: a refusal costs the patient a PIN entry, a wrong number a try.
   */
  minConfidence?: number;
  /** Frames that must read every field alike before the number is trusted. At least 2. */
  framesToAgree?: number;
  /** Frames looked at per attempt before giving up (the patient then uses the PIN). */
  maxFrames?: number;
  /**
   * VERIFY only while the card has more tries left than this. 3 keeps for the holder the same
   * 3 tries a PIN gives, for typing the number at another reader, however many kiosks have tried.
   */
  reserveTries?: number;
  /** The date in Japan, YYYY-MM-DD: the read must not be of an expired card. */
  today?: () => string;
}

/** A read of the card front begun when the card was placed, for `open` to use if the patient chooses 顔認証. */
export interface EarlyRead {
  /** Stops reading frames (the card was taken away); what was agreed so far is dropped. */
  cancel(): void;
}

export interface NumberBGate {
  /**
   * Starts reading the card front now, while the card lies on the tray, so that 顔認証 need not
   * wait for it. Nothing goes to the card: only `open` sends a VERIFY.
   */
  readEarly(): EarlyRead;
  /**
   * Opens the card-face application of the card `cardId` (its certificate serial) with an optical
   * read (the early one, the first time, if given), or throws OpticalReadRefusedError; sends at
   * most one VERIFY.
   */
  open(cardId: string, lock: NumberBLock, early?: EarlyRead): Promise<void>;
}

/** Every field of a read must be at least this sure; see bench:ocr for what it lets through. */
export const DEFAULT_MIN_CONFIDENCE = 0.9;

const DEFAULTS = { minConfidence: DEFAULT_MIN_CONFIDENCE, framesToAgree: 2, maxFrames: 10, reserveTries: 3 };

export function numberBGate(source: CardFrontSource, options: NumberBGateOptions = {}): NumberBGate {
  const settings = { ...DEFAULTS, ...options };
  if (settings.framesToAgree < 2) throw new RangeError('framesToAgree must be at least 2');
  // The dates printed on the card are Japan's, whatever the machine's time zone.
  const today = options.today ?? (() => japanIsoDate(new Date()));
  // Cards whose optical read was wrong once, by certificate serial, for as long as the kiosk runs.
  const refused = new Set<string>();

  // The number an early read agreed, held only by the gate and only until `open` takes it.
  const pending = new WeakMap<EarlyRead, Promise<string>>();

  return {
    readEarly() {
      const stop = { cancelled: false };
      const early: EarlyRead = {
        cancel() {
          stop.cancelled = true;
        },
      };
      const read = agreedNumber(source, settings, today(), stop);
      // Used by `open` or never (the patient chose the PIN): a refusal here is not an error yet.
      read.catch(() => {});
      pending.set(early, read);
      return early;
    },
    async open(cardId, lock, early) {
      const started = early && pending.get(early);
      if (early) pending.delete(early);
      if (refused.has(cardId)) throw new OpticalReadRefusedError('refused-for-this-card');
      const before = await lock.numberBStatus();
      if (before.state === 'verified') return;
      if (before.state === 'absent') throw new OpticalReadRefusedError('no-number-b');
      if (before.state === 'blocked') throw new OpticalReadRefusedError('number-b-blocked');
      if ((before.triesLeft ?? 0) <= settings.reserveTries) throw new OpticalReadRefusedError('tries-low');
      // The number lives in this call's locals only (a string cannot be overwritten); the card
      // layer wipes the bytes it sends.
      // An early read that found nothing is old news by now (the patient may have turned the card
      // over meanwhile): read afresh.
      const fresh = () => agreedNumber(source, settings, today());
      const numberB = await (started ? started.catch(fresh) : fresh());
      try {
        await lock.verifyNumberB(numberB);
      } catch (error) {
        // Wrong, blocked, or lost on the way (card pulled mid-VERIFY): whether a try was spent is
        // unknown in the last case, so every failure ends the optical read for this card.
        refused.add(cardId);
        throw new OpticalReadRefusedError('wrong-number-b', { cause: error });
      }
    },
  };
}

/**
 * 照合番号B once enough frames in a row read every field alike and sure enough; a frame too unsure
 * or impossible is skipped (blur, glare) without breaking the run.
 */
async function agreedNumber(
  source: CardFrontSource,
  settings: typeof DEFAULTS,
  today: string,
  stop: { cancelled: boolean } = { cancelled: false },
): Promise<string> {
  const streak: CardFrontRead[] = [];
  let why: GateRefusal = 'frames-disagree';
  for (let frame = 0; frame < settings.maxFrames && !stop.cancelled; frame++) {
    const read = await source();
    if (!read) throw new OpticalReadRefusedError(frame === 0 ? 'no-card-front-reader' : why);
    if ('problem' in read) {
      why = read.problem;
      continue;
    }
    const checked = checkRead(read, settings.minConfidence, today);
    if (!checked.ok) {
      why = checked.reason;
      continue;
    }
    // Two readings of one card mean the reader is unsure of it: only a run of alike frames counts.
    if (streak.length > 0 && !sameRead(streak[0]!, read)) streak.length = 0;
    streak.push(read);
    if (streak.length >= settings.framesToAgree) return checked.numberB;
  }
  throw new OpticalReadRefusedError(why);
}

/**
 * One frame's read judged on its own: 照合番号B when every field is sure enough and the dates and
 * code can be a real card's (`today` YYYY-MM-DD, Japan), else why not. The gate still wants frames to agree.
 */
export function checkRead(
  read: CardFrontRead,
  minConfidence: number,
  today: string,
): { ok: true; numberB: string } | { ok: false; reason: GateRefusal } {
  const { birth, validUntil, securityCode } = read.confidence;
  const sure = [birth, validUntil, securityCode].every(
    (c) => Number.isFinite(c) && c >= minConfidence && c <= 1,
  );
  if (!sure) return { ok: false, reason: 'low-confidence' };
  return numberBFromRead(read, today);
}

function sameRead(a: CardFrontRead, b: CardFrontRead): boolean {
  return (
    a.birth.era === b.birth.era &&
    a.birth.year === b.birth.year &&
    a.birth.month === b.birth.month &&
    a.birth.day === b.birth.day &&
    a.validUntil.year === b.validUntil.year &&
    a.validUntil.month === b.validUntil.month &&
    a.validUntil.day === b.validUntil.day &&
    a.securityCode === b.securityCode
  );
}
