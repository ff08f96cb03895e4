/**
 * Typed card errors. Every failure the card layer can meet has a class here with a stable `code`,
 * so the flow and the CLI can turn it into a patient screen, an exit status and an audit record.
 * Messages never carry a PIN, a verification number or card data.
 */
export const CARD_ERROR_CODES = [
  'wrong-pin',
  'pin-blocked',
  'security-status',
  'file-not-found',
  'card-removed',
  'transport',
  'not-my-number-card',
  'status-word',
  'malformed',
  'no-reader',
  'no-card',
  'reader-busy',
  'invalid-input',
] as const;
export type CardErrorCode = (typeof CARD_ERROR_CODES)[number];

/**
 * The base of every card error. The card package imports nothing of ours, so this is its own base
 * rather than the protocol's CodedError; it keeps the same contract (a stable `code` beside the
 * message), which is all the kiosk's exit-status table relies on.
 */
export class CardError extends Error {
  readonly code: CardErrorCode;
  constructor(code: CardErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * `63 Cx` with x > 0: the secret was wrong and the card still allows `triesLeft` tries.
 * `secret` names which one (the PIN, or a verification number) without ever holding its value.
 */
export class WrongPinError extends CardError {
  constructor(
    readonly triesLeft: number,
    readonly secret = 'PIN',
  ) {
    super('wrong-pin', `wrong ${secret}: ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left`);
  }
}

/** `69 84`, or `63 C0` on the try that used up the last one. */
export class PinBlockedError extends CardError {
  constructor(readonly secret = 'PIN') {
    super(
      'pin-blocked',
      `${secret} blocked: the card refuses further tries until the municipal office resets it`,
    );
  }
}

export class SecurityStatusError extends CardError {
  constructor() {
    super('security-status', 'security status not satisfied: the file needs a verified PIN first');
  }
}

export class FileNotFoundError extends CardError {
  constructor(what: string) {
    super('file-not-found', `not found on the card: ${what}`);
  }
}

export class CardRemovedError extends CardError {
  constructor(options?: ErrorOptions) {
    super('card-removed', 'the card was removed from the reader', options);
  }
}

export class TransportError extends CardError {
  constructor(message: string, options?: ErrorOptions) {
    super('transport', `reader communication failed: ${message}`, options);
  }
}

export class NotMyNumberCardError extends CardError {
  constructor() {
    super('not-my-number-card', 'not a My Number card: the JPKI application could not be selected');
  }
}

export class StatusWordError extends CardError {
  constructor(
    readonly sw: number,
    what: string,
  ) {
    super('status-word', `${what} failed with status ${sw.toString(16).padStart(4, '0').toUpperCase()}`);
  }
}

/** Data from the card (or a file) that does not parse: a length past the end, a missing tag, … */
export class MalformedDataError extends CardError {
  constructor(message: string) {
    super('malformed', `malformed card data: ${message}`);
  }
}

export class NoReaderError extends CardError {
  constructor(message = 'no smart-card reader found') {
    super('no-reader', message);
  }
}

export class NoCardError extends CardError {
  constructor(message = 'no card on the reader') {
    super('no-card', message);
  }
}

export class ReaderBusyError extends CardError {
  constructor(reader: string) {
    super('reader-busy', `reader "${reader}" is in use by another program`);
  }
}

/** Input from the caller (not the card) that cannot be sent, e.g. a PIN that is not 4 digits. */
export class InvalidInputError extends CardError {
  constructor(message: string) {
    super('invalid-input', message);
  }
}
