import { CodedError } from './coded-error.ts';

/**
 * Why a signed upstream request was not made (kiosk side) or not accepted (upstream side, after the
 * JWS itself verified). Codes are stable for the flow's screens and the upstream's problem codes.
 */
export type SignedRequestErrorCode =
  /** The kiosk cannot sign a face-path attestation: no device certificate is installed. */
  | 'no-device-certificate'
  /** What the kiosk was asked to sign breaks the claim rules (it would be refused upstream). */
  | 'invalid-request'
  /** The JWS `typ` is not a request kind, or does not fit the claimed method. */
  | 'wrong-type'
  /** The signed claims do not have the request's shape. */
  | 'invalid-claims';

/** Messages name fields and rules, never a claim's value (a nonce, a card certificate). */
export class SignedRequestError extends CodedError<SignedRequestErrorCode> {
  override readonly name = 'SignedRequestError';
}
