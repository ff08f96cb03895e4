import { type CardError, NoCardError, NoReaderError, ReaderBusyError, TransportError } from '../errors.ts';

/** PC/SC return codes (pcsclite.h) the kiosk tells apart. */
const SCARD = {
  E_UNKNOWN_READER: 0x80100009,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

/** The binding only gives an Error whose message ends in the code, e.g. "… error: Card was removed.(0x80100069)". */
function scardCode(err: unknown): number | undefined {
  const match = /\(0x([0-9a-f]{8})\)\s*$/i.exec(err instanceof Error ? err.message : String(err));
  return match ? Number.parseInt(match[1]!, 16) : undefined;
}

/** The message without the binding's function prefix, for TransportError texts. */
export function scardMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^SCard\w+ error: /, '');
}

const removalCodes: ReadonlySet<number> = new Set([
  SCARD.W_REMOVED_CARD,
  SCARD.E_NO_SMARTCARD,
  SCARD.W_RESET_CARD,
  SCARD.W_UNPOWERED_CARD,
]);

/** A transmit error that by itself proves the card is gone (or was reset under us). */
export function isCardRemoval(err: unknown): boolean {
  const code = scardCode(err);
  return code !== undefined && removalCodes.has(code);
}

export function connectError(err: unknown, reader: string): CardError {
  switch (scardCode(err)) {
    case SCARD.E_SHARING_VIOLATION:
      return new ReaderBusyError(reader);
    case SCARD.E_NO_SMARTCARD:
    case SCARD.W_REMOVED_CARD:
      return new NoCardError(`no card on reader "${reader}"`);
    case SCARD.E_UNKNOWN_READER:
    case SCARD.E_READER_UNAVAILABLE:
      return new NoReaderError(`reader "${reader}" is no longer available`);
    case SCARD.E_NO_SERVICE:
    case SCARD.E_SERVICE_STOPPED:
      return new NoReaderError('no smart-card reader found: is pcscd running?');
    default:
      return new TransportError(`connecting to "${reader}": ${scardMessage(err)}`, { cause: err });
  }
}
