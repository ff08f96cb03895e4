/**
 * Network namespaces of the test's own, so that the quickack route and the vpcd port never touch the
 * host's loopback. Names are kiosk-<pid>-<n>: unique per process, and those of a dead process are
 * swept when nothing runs inside them any more.
 */
import { spawnSync } from 'node:child_process';

let created = 0;

function ip(...args: string[]): { ok: boolean; out: string } {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/** Creates a namespace with loopback up; throws with ip's own words when that is not permitted. */
export function createNetns({ quickack }: { quickack: boolean }): string {
  sweepStaleNetns();
  const name = `kiosk-${process.pid}-${++created}`;
  const steps = [
    ['netns', 'add', name],
    ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up'],
    // vpcd writes the length and the payload of each frame separately: without quickack, Nagle on
    // one side and delayed ACK on the other cost ~40 ms per APDU.
    ...(quickack
      ? [
          [
            'netns',
            'exec',
            name,
            'ip',
            'route',
            'change',
            'local',
            '127.0.0.1',
            'dev',
            'lo',
            'table',
            'local',
          ].concat(['proto', 'kernel', 'scope', 'host', 'src', '127.0.0.1', 'quickack', '1']),
        ]
      : []),
  ];
  for (const step of steps) {
    const result = ip(...step);
    if (!result.ok) {
      if (step !== steps[0]) deleteNetns(name);
      throw new Error(`ip ${step.join(' ')}: ${result.out}`);
    }
  }
  return name;
}

export function deleteNetns(name: string): void {
  ip('netns', 'del', name);
}

function sweepStaleNetns(): void {
  for (const line of ip('netns', 'list').out.split('\n')) {
    const match = /^(kiosk-(\d+)-\d+)\b/.exec(line);
    if (!match || isAlive(Number(match[2]))) continue;
    if (ip('netns', 'pids', match[1]!).out === '') deleteNetns(match[1]!);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
