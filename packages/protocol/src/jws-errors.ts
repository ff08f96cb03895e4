import { CodedError } from './coded-error.ts';

/**
 * Why a compact JWS was refused. The codes are stable: the reference upstream turns them into its
 * problem codes and tests assert them.
 */
export type JwsErrorCode =
  | 'malformed'
  | 'unsupported-algorithm'
  | 'missing-certificate'
  | 'bad-certificate'
  | 'bad-signature'
  | 'too-large';

/**
 * A refused JWS. Messages are fixed text, never a piece of the token: the payload of a signed
 * request names a patient's card and must not reach a log through an error.
 */
export class JwsError extends CodedError<JwsErrorCode> {
  override readonly name = 'JwsError';
}
