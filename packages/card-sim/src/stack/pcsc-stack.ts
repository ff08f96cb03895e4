/**
 * A real PC/SC stack for tests, benchmarks and the demo: pcscd with the vpcd driver and the virtual
 * card (`kiosk sim card`), both inside a network namespace of the test's own with quickack on the loopback route, pcscd in a
 * private mount namespace whose /run/pcscd is a temporary directory (pcscd 1.9.9 always serves
 * /run/pcscd/pcscd.comm; the client library follows PCSCLITE_CSOCK_NAME).
 *
 *   const stack = await startPcscStack({ person: 'packages/card-sim/people/yamada.json' });
 *   spawn('node', ['bin/kiosk.js', …], { env: { ...process.env, ...stack.env } });
 *   await stack.control.remove();
 *   await stack.stop();
 *
 * Without permission for `ip netns`, pcscd and the card share the host loopback on a free port and
 * one warning line says quickack is off. Everything is stopped by pid and removed in stop(), and
 * on process exit for stacks a test forgot.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PcscReaders } from '@myna/card/pcsc/readers.js';
import { SimControlClient } from '../control.ts';
import { createNetns, deleteNetns } from './netns.ts';
import { isOurs, isRunning, logTail, signalGroup, startDetached, stopGroup } from './processes.ts';

/** The simulator's own program (bin/sim-card.js, over the compiled dist/). */
const SIM_CARD_BIN = fileURLToPath(new URL('../../bin/sim-card.js', import.meta.url));
const VPCD_CONF = '/etc/reader.conf.d/vpcd';
const VPCD_PORT = 35963;
const FRIENDLY_NAME = 'Virtual PCD';
/** pcscd names a reader "<friendly name> <reader index> <slot>"; vpcd's first slot answers on PORT. */
const VPCD_READER = `${FRIENDLY_NAME} 00 00`;
const START_TIMEOUT_MS = 20_000;

export interface PcscStackOptions {
  /** Person file for the virtual card (packages/card-sim/people/*.json). */
  person: string;
  /** Quickack on the namespace's loopback route (default true); the benchmark compares both. */
  quickack?: boolean;
  /** More arguments for `kiosk sim card`, e.g. ['--removed']. */
  simArgs?: string[];
}

/** Enough to stop a stack from another process (scripts/pcsc-stack.ts). */
export interface PcscStackState {
  dir: string;
  /** pcscd's socket: the value for PCSCLITE_CSOCK_NAME. */
  socket: string;
  /** The virtual card's JSON-lines control socket. */
  control: string;
  netns: string | null;
  pcscd: number;
  card: number;
}

export interface PcscStack {
  /** Pass to child processes: points libpcsclite at this stack's pcscd. */
  env: { PCSCLITE_CSOCK_NAME: string };
  readerName: string;
  control: SimControlClient;
  /** null when namespaces were not permitted and the stack runs on the host loopback. */
  netns: string | null;
  state: PcscStackState;
  stop(): Promise<void>;
  /** Keeps the stack running after this process exits (the stack script). */
  detach(): PcscStackState;
}

/**
 * Null when the stack can run; otherwise why not (pcscd or vpcd not installed), printed so that a
 * skipped suite is never silent. CI installs both, so there the tests always run.
 */
export function pcscSkipReason(): string | null {
  const reason = pcscUnavailable();
  if (reason) console.warn(`skipping PC/SC integration tests: ${reason}`);
  return reason;
}

/** Null when pcscd and the vpcd driver are installed; otherwise which one is missing. */
export function pcscUnavailable(): string | null {
  if (spawnSync('sh', ['-c', 'command -v pcscd']).status !== 0)
    return 'pcscd is not installed (Debian package pcscd)';
  try {
    vpcdDriver();
    return null;
  } catch {
    return `vpcd is not installed (Debian package vsmartcard-vpcd, ${VPCD_CONF})`;
  }
}

const running = new Set<PcscStackState>();
/** Holds this process's link to the current stack's socket (see useInThisProcess). */
const clientDir = join(tmpdir(), `kiosk-pcsc-client-${process.pid}`);
process.once('exit', stopAllNow);
// The stack runs in process groups of its own, out of reach of a terminal's Ctrl-C.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    stopAllNow();
    process.kill(process.pid, signal);
  });
}

function stopAllNow(): void {
  for (const state of running) stopNow(state);
  rmSync(clientDir, { recursive: true, force: true });
}

export async function startPcscStack(options: PcscStackOptions): Promise<PcscStack> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-pcsc-'));
  const state: PcscStackState = {
    dir,
    socket: join(dir, 'pcscd.comm'),
    control: join(dir, 'sim.sock'),
    netns: null,
    pcscd: 0,
    card: 0,
  };
  running.add(state);
  try {
    let port = VPCD_PORT;
    try {
      state.netns = createNetns({ quickack: options.quickack ?? true });
    } catch (err) {
      port = await freePortPair();
      process.stderr.write(
        `pcsc-stack: no network namespace (${(err as Error).message.split('\n')[0]}); ` +
          `pcscd and the virtual card use the host loopback on port ${port}, quickack is off\n`,
      );
    }
    const inNetns = state.netns ? ['ip', 'netns', 'exec', state.netns] : [];
    const conf = join(dir, 'reader.conf');
    writeFileSync(conf, readerConf(port));

    state.pcscd = startDetached(
      [...privateRunPcscd(dir), ...inNetns, 'pcscd', '--foreground', '-c', conf],
      join(dir, 'pcscd.log'),
    );
    await waitFor(() => connects(state.socket), state.pcscd, join(dir, 'pcscd.log'), 'pcscd');

    const card = ['node', SIM_CARD_BIN, 'card', '--person', resolve(options.person)];
    card.push('--control', state.control, ...(state.netns ? [] : ['--port', String(port)]));
    card.push(...(options.simArgs ?? []));
    state.card = startDetached([...inNetns, ...card], join(dir, 'card.log'));
    await waitFor(() => connects(state.control), state.card, join(dir, 'card.log'), 'the virtual card');

    const env = { PCSCLITE_CSOCK_NAME: state.socket };
    useInThisProcess(state.socket);
    await waitForReader(!(options.simArgs ?? []).includes('--removed'));
    const client = await SimControlClient.connect(state.control);
    return {
      env,
      readerName: VPCD_READER,
      control: client,
      netns: state.netns,
      state,
      stop: async () => {
        client.close();
        await stopPcscStack(state);
      },
      detach: () => {
        client.close();
        running.delete(state);
        return state;
      },
    };
  } catch (err) {
    await stopPcscStack(state);
    throw err;
  }
}

/** Stops what startPcscStack started, by pid; safe to call twice and from another process. */
export async function stopPcscStack(state: PcscStackState): Promise<void> {
  for (const pid of [state.card, state.pcscd]) {
    if (pid && isOurs(pid, state.dir)) await stopGroup(pid);
  }
  cleanUp(state);
}

function stopNow(state: PcscStackState): void {
  for (const pid of [state.card, state.pcscd]) {
    if (pid && isOurs(pid, state.dir)) signalGroup(pid, 'SIGKILL');
  }
  cleanUp(state);
}

function cleanUp(state: PcscStackState): void {
  if (state.netns) deleteNetns(state.netns);
  rmSync(state.dir, { recursive: true, force: true });
  running.delete(state);
  if (running.size === 0) rmSync(clientDir, { recursive: true, force: true });
}

/** A mount namespace where /run/pcscd is `dir`; as root, else as a mapped root in a user namespace. */
function privateRunPcscd(dir: string): string[] {
  const script = 'mkdir -p /run/pcscd && mount --bind "$0" /run/pcscd && exec "$@"';
  const probe = spawnSync('unshare', ['--mount', 'true']);
  const unshare =
    probe.status === 0 ? ['unshare', '--mount'] : ['unshare', '--user', '--map-root-user', '--mount'];
  return [...unshare, '--propagation', 'private', 'sh', '-c', script, dir];
}

function vpcdDriver(): string {
  const libpath = /^\s*LIBPATH\s+(\S+)/m.exec(readFileSync(VPCD_CONF, 'utf8'))?.[1];
  if (!libpath) throw new Error(`no LIBPATH in ${VPCD_CONF}`);
  return libpath;
}

function readerConf(port: number): string {
  const hex = `0x${port.toString(16).toUpperCase()}`;
  return [
    `FRIENDLYNAME "${FRIENDLY_NAME}"`,
    `DEVICENAME   /dev/null:${hex}`,
    `LIBPATH      ${vpcdDriver()}`,
    `CHANNELID    ${hex}`,
    '',
  ].join('\n');
}

/** vpcd listens on PORT for its first slot and PORT+1 for its second. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await listenOnce(0);
    if (port < 65_535 && (await listenOnce(port + 1).catch(() => 0))) return port;
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(bound));
    });
  });
}

function connects(path: string): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect(path, () => {
      socket.destroy();
      done(true);
    });
    socket.on('error', () => done(false));
  });
}

async function waitFor(ready: () => Promise<boolean>, pid: number, log: string, what: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await ready())) {
    if (!isRunning(pid)) throw new Error(`${what} exited during start:\n${logTail(log)}`);
    if (Date.now() > deadline)
      throw new Error(`${what} did not start within ${START_TIMEOUT_MS} ms:\n${logTail(log)}`);
    await sleep(25);
  }
}

/**
 * libpcsclite reads PCSCLITE_CSOCK_NAME once per process, so in-process use goes through a link of
 * this process's own that each new stack re-points.
 */
function useInThisProcess(socket: string): void {
  const link = join(clientDir, 'pcscd.comm');
  mkdirSync(clientDir, { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(socket, link);
  process.env.PCSCLITE_CSOCK_NAME = link;
}

async function waitForReader(withCard: boolean): Promise<void> {
  const readers = await PcscReaders.open();
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    if (withCard) await readers.waitForCard({ reader: VPCD_READER, timeoutMs: START_TIMEOUT_MS });
    while (!readers.readers().some((r) => r.name === VPCD_READER) && Date.now() < deadline) await sleep(25);
  } finally {
    await readers.close();
  }
}
