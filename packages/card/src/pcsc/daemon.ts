import net from 'node:net';
import { NoReaderError } from '../errors.ts';

/** libpcsclite's default; `PCSCLITE_CSOCK_NAME` overrides it (the test stack uses that). */
const DEFAULT_SOCKET = '/run/pcscd/pcscd.comm';
const PROBE_TIMEOUT_MS = 2_000;

function pcscdSocket(env: NodeJS.ProcessEnv = process.env): string {
  return env.PCSCLITE_CSOCK_NAME || DEFAULT_SOCKET;
}

/**
 * Throws NoReaderError unless pcscd accepts a connection. Needed because the binding retries
 * SCardEstablishContext in a busy loop on the main thread while the daemon is unreachable.
 */
export function assertPcscdReachable(socket = pcscdSocket()): Promise<void> {
  return new Promise((resolve, reject) => {
    const unreachable = (why: string) => {
      probe.destroy();
      reject(new NoReaderError(`no smart-card reader found: is pcscd running? (${socket}: ${why})`));
    };
    const probe = net.connect(socket, () => {
      probe.destroy();
      resolve();
    });
    probe.setTimeout(PROBE_TIMEOUT_MS, () => unreachable('no answer'));
    probe.on('error', (err: NodeJS.ErrnoException) => unreachable(err.code ?? err.message));
  });
}
