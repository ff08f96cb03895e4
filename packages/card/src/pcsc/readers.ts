import { EventEmitter } from 'node:events';
import { type CardError, NoCardError, NoReaderError, ReaderBusyError } from '../errors.ts';
import { type CardReader, createContext, type PcscContext } from './binding.ts';
import { assertPcscdReachable } from './daemon.ts';
import { type CardPresence, PcscConnection } from './pcsc-connection.ts';
import { scardMessage } from './scard-errors.ts';

/** How long pcscd may take to list its readers and their first status before we give up. */
const SETTLE_TIMEOUT_MS = 5_000;

export interface ReaderState {
  name: string;
  cardPresent: boolean;
  /** The card's ATR while a card is present. */
  atr: Uint8Array | null;
}

export interface PcscReadersEvents {
  'reader-added': [{ reader: string }];
  'reader-removed': [{ reader: string }];
  'card-inserted': [{ reader: string; atr: Uint8Array }];
  'card-removed': [{ reader: string }];
}

interface Tracked {
  readonly reader: CardReader;
  /** pcscd's dwEventState; null until the first status. Bits 16+ count insertions and removals. */
  state: number | null;
  atr: Uint8Array | null;
  removals: number;
  /** A connection of ours is open or opening: the binding would not notice a second one. */
  busy: boolean;
  readonly firstStatus: Promise<void>;
}

/** One PC/SC context: the readers pcscd knows, their cards, and exclusive connections to them. */
export class PcscReaders extends EventEmitter<PcscReadersEvents> {
  private readonly tracked = new Map<string, Tracked>();
  private readonly wakers = new Set<() => void>();
  private readonly connections = new Set<PcscConnection>();
  private readonly context: PcscContext;
  private readonly listed: Promise<void>;
  private failure: CardError | null = null;
  private closed = false;

  private constructor() {
    super();
    let markListed = () => {};
    this.listed = new Promise((resolve) => {
      markListed = resolve;
    });
    this.context = createContext(() => markListed());
    this.context.on('error', (err) => {
      if (this.closed) return;
      this.failure = new NoReaderError(`lost the connection to pcscd: ${scardMessage(err)}`);
      this.wake();
    });
    this.context.on('reader', (reader) => this.track(reader));
  }

  /** Connects to pcscd (NoReaderError when it is not running) and waits for the first reader states. */
  static async open(): Promise<PcscReaders> {
    await assertPcscdReachable();
    const readers = new PcscReaders();
    try {
      await withTimeout(readers.settled(), SETTLE_TIMEOUT_MS, 'pcscd did not list its readers in time');
      if (readers.failure) throw readers.failure;
    } catch (err) {
      await readers.close();
      throw err;
    }
    return readers;
  }

  readers(): ReaderState[] {
    return [...this.tracked.entries()]
      .filter(([, t]) => t.state !== null)
      .map(([name, t]) => ({ name, cardPresent: t.atr !== null, atr: t.atr }));
  }

  /**
   * Resolves with `reader` once it holds a card, or without `reader` the first reader that does.
   * After `timeoutMs`: NoReaderError when that reader (or any) is missing, NoCardError otherwise.
   */
  waitForCard({ reader, timeoutMs }: { reader?: string; timeoutMs: number }): Promise<string> {
    return new Promise((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.wakers.delete(check);
        settle();
      };
      const check = () => {
        if (this.failure) return finish(() => reject(this.failure));
        const found = this.readers().find(
          (r) => r.cardPresent && (reader === undefined || r.name === reader),
        );
        if (found) finish(() => resolve(found.name));
      };
      const timer = setTimeout(() => finish(() => reject(this.missingCard(reader, timeoutMs))), timeoutMs);
      this.wakers.add(check);
      check();
    });
  }

  /** Opens the card in `readerName` exclusively; ReaderBusyError while anyone else holds it. */
  async connect(readerName: string): Promise<PcscConnection> {
    if (this.failure) throw this.failure;
    const t = this.tracked.get(readerName);
    if (!t || t.state === null) throw this.unknownReader(readerName);
    if (t.busy) throw new ReaderBusyError(readerName);
    if (!t.atr) throw new NoCardError(`no card on reader "${readerName}"`);
    t.busy = true;
    try {
      const connection = await PcscConnection.open(t.reader, t.atr, this.presence(t), () => {
        t.busy = false;
        this.connections.delete(connection);
      });
      this.connections.add(connection);
      return connection;
    } catch (err) {
      t.busy = false;
      throw err;
    }
  }

  /** Closes open connections and the context, so nothing of PC/SC keeps the process alive. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failure ??= new NoReaderError('the reader list was closed');
    this.wake();
    await Promise.all([...this.connections].map((c) => c.close()));
    // A reader closed before its first status would leak the libuv handle of its status thread.
    await withTimeout(this.firstStatuses(), SETTLE_TIMEOUT_MS, 'no reader status').catch(() => {});
    for (const t of this.tracked.values()) t.reader.close();
    this.tracked.clear();
    this.context.close();
  }

  private async settled(): Promise<void> {
    await this.listed;
    await this.firstStatuses();
  }

  private async firstStatuses(): Promise<void> {
    await Promise.all([...this.tracked.values()].map((t) => t.firstStatus));
  }

  private track(reader: CardReader): void {
    let markFirst = () => {};
    const t: Tracked = {
      reader,
      state: null,
      atr: null,
      removals: 0,
      busy: false,
      firstStatus: new Promise((resolve) => {
        markFirst = resolve;
      }),
    };
    this.tracked.set(reader.name, t);
    reader.on('error', () => {
      // The status thread ends after an error and the binding then emits 'end'.
    });
    // The binding calls this with the reader's mutex held; handle it outside (see binding.ts).
    reader.on('status', (status) =>
      setImmediate(() => {
        this.onStatus(t, status.state, status.atr);
        markFirst();
      }),
    );
    reader.on('end', () =>
      setImmediate(() => {
        markFirst();
        if (this.closed || this.tracked.get(reader.name) !== t) return;
        this.tracked.delete(reader.name);
        if (t.atr) this.emit('card-removed', { reader: reader.name });
        this.emit('reader-removed', { reader: reader.name });
        this.wake();
      }),
    );
    this.emit('reader-added', { reader: reader.name });
  }

  private onStatus(t: Tracked, state: number, atr: Buffer | undefined): void {
    if (this.closed) return;
    const PRESENT = t.reader.SCARD_STATE_PRESENT;
    const wasPresent = t.state !== null && (t.state & PRESENT) !== 0;
    const present = (state & PRESENT) !== 0;
    // Both present but the event counter moved: the card was swapped between two polls.
    const swapped = wasPresent && present && t.state! >>> 16 !== state >>> 16;
    t.state = state;
    t.atr = present && atr && atr.length > 0 ? new Uint8Array(atr) : null;
    const name = t.reader.name;
    if (wasPresent && (!present || swapped)) {
      t.removals++;
      this.emit('card-removed', { reader: name });
    }
    if (t.atr && (!wasPresent || swapped)) this.emit('card-inserted', { reader: name, atr: t.atr });
    this.wake();
  }

  /** Presence as one connection sees it: a removal after it opened counts even if a card is back. */
  private presence(t: Tracked): CardPresence {
    const removalsAtOpen = t.removals;
    const left = () => t.removals > removalsAtOpen || t.atr === null || this.tracked.get(t.reader.name) !== t;
    return {
      cardLeft: (withinMs) =>
        new Promise((resolve) => {
          const finish = (gone: boolean) => {
            clearTimeout(timer);
            this.wakers.delete(check);
            resolve(gone);
          };
          const check = () => {
            if (left()) finish(true);
          };
          const timer = setTimeout(() => finish(false), withinMs);
          this.wakers.add(check);
          check();
        }),
    };
  }

  private wake(): void {
    for (const waker of [...this.wakers]) waker();
  }

  private unknownReader(name: string): NoReaderError {
    const names = this.readers().map((r) => r.name);
    return names.length === 0
      ? new NoReaderError()
      : new NoReaderError(`reader "${name}" not found; readers: ${names.join(', ')}`);
  }

  private missingCard(reader: string | undefined, timeoutMs: number): CardError {
    const names = this.readers().map((r) => r.name);
    if (reader !== undefined && !names.includes(reader)) return this.unknownReader(reader);
    if (names.length === 0) return new NoReaderError();
    const where = reader === undefined ? `any reader (${names.join(', ')})` : `reader "${reader}"`;
    return new NoCardError(`no card on ${where} within ${timeoutMs} ms`);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoReaderError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
