/**
 * The @pokusew/pcsclite surface the kiosk uses. Hazards of that binding (0.6.0) that the rest of
 * src/card/pcsc works around:
 * - creating a context while pcscd is unreachable spins forever on the main thread, so
 *   `daemon.ts` probes the socket first;
 * - a reader's status callback runs with the reader's mutex held, and `close()` takes that mutex, so
 *   anything that may close a reader runs outside that callback; closing a reader before its first
 *   status leaks a libuv handle that keeps the process alive;
 * - `connect()` on a reader object that believes it is connected succeeds without asking pcscd;
 * - after `close()` the context still reports a "Command cancelled" error.
 */
import pcsclite from '@pokusew/pcsclite';

export type PcscContext = ReturnType<typeof pcsclite>;
/** The package does not export its reader type; its last `on` overload is `on('reader', (reader) => …)`. */
export type CardReader = Parameters<Parameters<PcscContext['on']>[1]>[0];

type ListCallback = (err: unknown, names: Buffer) => void;
interface Startable {
  start(callback: ListCallback): void;
}

/**
 * Opens a context and calls `onListed` after each listing of the readers. The binding announces only
 * readers it has not seen before, so without this hook an empty first listing would be invisible.
 */
export function createContext(onListed: () => void): PcscContext {
  const context = pcsclite();
  const startable = context as unknown as Startable;
  const start = startable.start;
  startable.start = (callback) =>
    start.call(context, (err, names) => {
      callback(err, names);
      onListed();
    });
  return context;
}
