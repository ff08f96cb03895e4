/**
 * What the reception flow needs from the rest of the kiosk, as small interfaces: the card on the
 * reader, the face check, the upstream, the result sink and the store. The flow wiring depends only
 * on these, so a simulator stands in for any of them in tests and vendor hardware in the field.
 */
import type { ConsentItem, PinOutcome, Qualification } from './flow-types.ts';

/** The My Number card currently on the reader, for one visit. */
export interface PlacedCard {
  /** The JPKI user-authentication certificate (DER) and its serial; readable without a PIN. */
  certificate(): Promise<{ der: Uint8Array; serialNumber: string }>;
  /** Tries left for the user-authentication PIN; `pinless` for a 顔認証マイナンバーカード. */
  pinStatus(): Promise<{ pinless: boolean; triesLeft: number | null }>;
  /** One VERIFY of the user-authentication PIN; never retried by the card layer. */
  verifyPin(pin: string): Promise<PinOutcome>;
  /** RS256 over `message`, signed on the card once the PIN is verified. */
  signSha256(message: Uint8Array): Promise<Uint8Array>;
  /** The card photo (JPEG 2000), opened with the verification number read from the card face. */
  facePhoto(): Promise<Uint8Array>;
  /** Ends the card session (resetting the card, so a verified PIN does not outlive the visit). */
  release(): Promise<void>;
}

export interface CardSlot {
  /** Opens the card just placed; rejects with a CardError for anything that is not a My Number card. */
  open(): Promise<PlacedCard>;
}

export interface FaceCheckResult {
  decision: 'accept' | 'reject' | 'undecided';
  /** Descriptor distance (lower = more alike), null when no usable frame was seen. */
  score: number | null;
  threshold: number;
  calibratedFar: number;
  /** Quality or liveness reason codes the face screen shows (e.g. `face-covered`). */
  reasons: string[];
  liveness: { passed: boolean; challenge: 'none' | 'blink' | 'turn'; passiveScore?: number };
}

/** Live camera frames matched against the card photo, with liveness; the photo is wiped by the caller. */
export interface FaceCheck {
  check(cardPhoto: Uint8Array): Promise<FaceCheckResult>;
}

/** The upstream's answer to a verified request. `document` is the full result for the clinic's systems. */
export interface VerifiedVisit<Document = unknown> {
  visitId: string;
  qualification: Qualification;
  document: Document;
}

export interface UpstreamPort<Document = unknown> {
  nonce(): Promise<string>;
  verify(jws: string): Promise<VerifiedVisit<Document>>;
}

/** The kiosk's device key as the face path needs it: signatures for the attestation. */
export interface Attestor {
  readonly keyId: string;
  readonly certificatePem: string | null;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface ConsentRecord {
  visitId: string;
  items: { item: ConsentItem | 'limit-info'; agreed: boolean; at: string }[];
}

/** Where the finished visit goes: consents to the outbox, the result to the clinic's systems. */
export interface ReceptionRecorder<Document = unknown> {
  /** Keyed hash of a card's certificate serial: how the audit log names a card. */
  cardRef(serialNumber: string): string;
  audit(event: { kind: string; outcome: string; card: string | null; data?: Record<string, unknown> }): void;
  /** Kept until the upstream acknowledges it (outbox with an idempotency key). */
  keepConsents(record: ConsentRecord): void;
  /** 健康保険証利用の申込, kept like the consents: the patient does not wait for the upstream. */
  keepRegistration(record: { visitId: string }): void;
  /**
   * Hands the settled visit's document on, once; may resolve with an object of codes for the audit
   * log (e.g. whether the limit certificate came in time).
   */
  publishResult(document: Document, consents: ConsentRecord): Promise<unknown>;
}
