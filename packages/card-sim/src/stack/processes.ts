/**
 * Child processes of the test stack. Each runs in its own process group so one signal ends it and
 * whatever it started; they are found again by pid (the stack script stops what an earlier process
 * started), and only when their command line names the stack's own directory.
 */
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export function startDetached(command: string[], log: string): number {
  const out = openSync(log, 'a');
  const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${command[0]}`);
  return child.pid;
}

/** Gone, or a zombie nobody has reaped yet (PID 1 of a container may never do it). */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Whether `pid` is still the process we started: its command line names `marker`. */
export function isOurs(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the leader is gone. */
export async function stopGroup(pid: number, graceMs = 2_000): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) signalGroup(pid, 'SIGKILL');
    await sleep(20);
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function logTail(log: string, lines = 15): string {
  try {
    return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
