import { type CommandApdu, encodeCommand, needsExtended, parseResponse, type ResponseApdu } from './apdu.ts';
import type { CardConnection } from './connection.ts';
import {
  FileNotFoundError,
  PinBlockedError,
  SecurityStatusError,
  StatusWordError,
  TransportError,
  WrongPinError,
} from './errors.ts';
import { EXTENDED_READ_MAX, INS, SHORT_READ_MAX, SW } from './spec.ts';
import { tlvTotalLength } from './tlv.ts';

/** Counts what crossed the wire, for the benchmark and for clinic IT's diagnostics. */
export interface WireStats {
  apdus: number;
  bytesSent: number;
  bytesReceived: number;
}

/** A GET RESPONSE chain longer than this is a card (or reader) gone wrong. */
const MAX_GET_RESPONSE = 300;

/**
 * The APDU layer between a connection and the application sessions: encodes commands, follows
 * `61 xx` with GET RESPONSE and `6C xx` with a resend, maps status words to typed errors, reads
 * whole files in the fewest round trips the reader allows, and remembers the current selection so
 * that a session does not select what is already selected.
 */
export class ApduProtocol {
  readonly stats: WireStats = { apdus: 0, bytesSent: 0, bytesReceived: 0 };
  private extendedOk: boolean;
  private sfiOk = true;
  private currentAid: string | undefined;
  private currentEf: number | undefined;

  constructor(readonly connection: CardConnection) {
    this.extendedOk = connection.extendedLength;
  }

  /** Whether whole files are read with one extended READ BINARY. */
  get extendedReads(): boolean {
    return this.extendedOk;
  }

  /** Sends one command; returns data and final status, having followed 61xx and 6Cxx. */
  async send(command: CommandApdu): Promise<ResponseApdu> {
    let response = await this.exchange(command);
    if (response.sw >> 8 === 0x6c) {
      response = await this.exchange({ ...command, le: response.sw & 0xff || 256 });
    }
    if (response.sw >> 8 !== 0x61) return response;
    const chunks = [response.data];
    for (let i = 0; response.sw >> 8 === 0x61; i++) {
      if (i >= MAX_GET_RESPONSE) throw new TransportError('GET RESPONSE chain does not end');
      const le = response.sw & 0xff || 256;
      response = await this.exchange({ cla: 0x00, ins: INS.getResponse, p1: 0, p2: 0, le });
      chunks.push(response.data);
    }
    return { data: Buffer.concat(chunks), sw: response.sw };
  }

  /** Sends one command and returns its data, or throws the typed error for its status word. */
  async expectOk(command: CommandApdu, what: string): Promise<Uint8Array> {
    const { data, sw } = await this.send(command);
    if (sw !== SW.ok) throw statusError(sw, what);
    return data;
  }

  async selectApplication(aid: Uint8Array, what: string): Promise<void> {
    const key = Buffer.from(aid).toString('hex');
    if (this.currentAid === key) return;
    this.currentAid = undefined;
    this.currentEf = undefined;
    await this.expectOk({ cla: 0x00, ins: INS.select, p1: 0x04, p2: 0x0c, data: aid }, `SELECT ${what}`);
    this.currentAid = key;
  }

  async selectEf(id: number, what: string): Promise<void> {
    if (this.currentEf === id) return;
    this.currentEf = undefined;
    const data = Uint8Array.of(id >> 8, id & 0xff);
    await this.expectOk({ cla: 0x00, ins: INS.select, p1: 0x02, p2: 0x0c, data }, `SELECT ${what}`);
    this.currentEf = id;
  }

  /** Forgets the selection, e.g. after the card was reset. */
  forgetSelection(): void {
    this.currentAid = undefined;
    this.currentEf = undefined;
  }

  /**
   * Reads a whole EF of the selected application. Where the EF has a short identifier the first
   * READ BINARY names it (`P1 = 80 | SFI`), which also selects it, saving the SELECT; a card that
   * refuses that form is read after a SELECT for the rest of the session. With extended APDUs one
   * READ BINARY with Le = 65536 returns the whole file. Otherwise the first 256-byte chunk tells the
   * length of the TLV the file opens with, and only the chunks that content needs are read; a file
   * that does not open with a TLV is read to its end (a short chunk or 6B00).
   */
  async readFile(ef: number, what: string): Promise<Uint8Array> {
    if (this.sfiOk && this.currentEf !== ef && hasShortId(ef)) {
      this.currentEf = undefined;
      try {
        const file = await this.readCurrent(what, ef);
        this.currentEf = ef;
        return file;
      } catch (error) {
        // Any refusal by status word (6A86, 6B00 for "offset 8A00", 6A82, …) may mean the card
        // does not take the short-EF form: the SELECT path answers for the file itself.
        if (!isStatusWordRefusal(error)) throw error;
        this.sfiOk = false;
      }
    }
    await this.selectEf(ef, what);
    return this.readCurrent(what);
  }

  /**
   * VERIFY against the PIN file `ef`, addressed by its short identifier where it has one (no
   * SELECT needed); `secret` undefined asks for the tries left. Returns the status word. Only an
   * answer that shows the card compared (or counted) the secret is final; any other refusal of the
   * short form spent no try, so the plain form is sent after a SELECT.
   */
  async verify(ef: number, secret: Uint8Array | undefined, what: string): Promise<number> {
    const command = (p2: number): CommandApdu => ({ cla: 0x00, ins: INS.verify, p1: 0x00, p2, data: secret });
    if (this.sfiOk && hasShortId(ef)) {
      // Whether a VERIFY by short id makes the PIN file current differs between cards: forget.
      this.currentEf = undefined;
      const { sw } = await this.send(command(0x80 | ef));
      if (verifyProcessed(sw)) return sw;
      this.sfiOk = false;
    }
    await this.selectEf(ef, what);
    return (await this.send(command(0x80))).sw;
  }

  private async readCurrent(what: string, sfi?: number): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let offset = 0;
    let total: number | undefined;
    if (this.extendedOk) {
      const { data, sw } = await this.send(readBinary(0, EXTENDED_READ_MAX, sfi));
      if (sw === SW.ok) {
        total = tlvTotalLength(data);
        // Done, unless the card capped the answer below what the file's own TLV says it holds.
        if (total === undefined || data.length >= total)
          return total === undefined ? data : data.subarray(0, total);
        chunks.push(data);
        offset = data.length;
        sfi = undefined;
      } else if (sw === SW.wrongLength || sw === SW.insNotSupported || sw === SW.claNotSupported) {
        // A reader or card without extended APDUs: short reads for the rest of the session.
        this.extendedOk = false;
      } else {
        throw statusError(sw, `READ BINARY ${what}`);
      }
    }
    for (;;) {
      const want = total === undefined ? SHORT_READ_MAX : Math.min(SHORT_READ_MAX, total - offset);
      if (want <= 0) break;
      if (offset > 0x7fff) throw new StatusWordError(SW.wrongP1P2, `READ BINARY ${what} beyond offset 32767`);
      const { data, sw } = await this.send(readBinary(offset, want, offset === 0 ? sfi : undefined));
      if (sw === SW.offsetBeyondFile && offset > 0) break;
      if (sw !== SW.ok) throw statusError(sw, `READ BINARY ${what}`);
      chunks.push(data);
      offset += data.length;
      if (offset === data.length) total = tlvTotalLength(data);
      if (data.length < want || data.length === 0) break;
    }
    const file = Buffer.concat(chunks);
    return total === undefined ? file : file.subarray(0, Math.min(total, file.length));
  }

  private async exchange(command: CommandApdu): Promise<ResponseApdu> {
    const bytes = encodeCommand(command);
    if (needsExtended(command) && !this.extendedOk) {
      throw new TransportError('the reader does not carry extended APDUs');
    }
    const raw = await this.connection.transmit(bytes);
    this.stats.apdus++;
    this.stats.bytesSent += bytes.length;
    this.stats.bytesReceived += raw.length;
    return parseResponse(raw);
  }
}

/** READ BINARY at `offset` of the current EF, or at offset 0..255 of the EF with short id `sfi`. */
function readBinary(offset: number, le: number, sfi?: number): CommandApdu {
  if (sfi !== undefined) return { cla: 0x00, ins: INS.readBinary, p1: 0x80 | sfi, p2: offset, le };
  return { cla: 0x00, ins: INS.readBinary, p1: (offset >> 8) & 0x7f, p2: offset & 0xff, le };
}

/** EF ids 01..1E double as short EF identifiers (ISO 7816-4). */
const MAX_SFI = 0x1e;
const hasShortId = (ef: number): boolean => ef >= 1 && ef <= MAX_SFI;

/** An error made from a status word the card answered, as opposed to a removed card or a dead reader. */
function isStatusWordRefusal(error: unknown): boolean {
  return (
    error instanceof StatusWordError ||
    error instanceof FileNotFoundError ||
    error instanceof SecurityStatusError
  );
}

/** VERIFY answers that mean the card looked at the secret (or its counter): never resent. */
function verifyProcessed(sw: number): boolean {
  return (
    sw === SW.ok ||
    (sw & 0xfff0) === SW.wrongPinMask ||
    sw === SW.blocked ||
    sw === 0x6983 ||
    sw === SW.securityStatus
  );
}

/** The typed error for a status word other than 9000. */
export function statusError(sw: number, what: string, secret = 'PIN'): Error {
  if ((sw & 0xfff0) === SW.wrongPinMask) {
    const left = sw & 0x0f;
    return left === 0 ? new PinBlockedError(secret) : new WrongPinError(left, secret);
  }
  switch (sw) {
    case SW.blocked:
      return new PinBlockedError(secret);
    case SW.securityStatus:
      return new SecurityStatusError();
    case SW.notFound:
      return new FileNotFoundError(what);
    default:
      return new StatusWordError(sw, what);
  }
}
