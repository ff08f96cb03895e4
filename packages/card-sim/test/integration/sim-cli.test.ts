import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SimControlClient } from '../../src/control.ts';
import { peopleFile } from '../../src/people.ts';
import { toHex } from '../unit/card-helpers.ts';
import { FakeVpcd } from '../unit/fake-vpcd.ts';

// The simulator's own program, compiled (npm run build), as the PC/SC test stack starts it.
const SIM_CARD_BIN = fileURLToPath(new URL('../../bin/sim-card.js', import.meta.url));

interface Run {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function sim(args: string[], stdin: 'pipe' | 'ignore' = 'ignore'): Run {
  const child = spawn(process.execPath, [SIM_CARD_BIN, ...args], {
    stdio: [stdin, 'pipe', 'pipe'],
  });
  running.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stderr: () => stderr, exited };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(condition()).toBe(true);
}

describe('kiosk sim card', () => {
  it('connects to vpcd, serves the control socket, obeys stdin, exits 0 on SIGTERM', async () => {
    const vpcd = await FakeVpcd.start();
    const control = join(mkdtempSync(join(tmpdir(), 'sim-cli-')), 'sim.sock');
    const run = sim(
      ['card', '--person', peopleFile('elderly'), '--port', String(vpcd.port), '--control', control],
      'pipe',
    );
    await vpcd.accepted();
    expect(toHex((await vpcd.exchange(Uint8Array.of(0x04)))!)).toBe('3BE000FF8131FE4514');
    await until(() => run.stderr().includes('control channel on'));
    const client = await SimControlClient.connect(control);
    expect(await client.status()).toMatchObject({ inserted: true, person: 'elderly' });
    run.child.stdin!.write('remove\n');
    await until(() => run.stderr().includes('card removed (removed)'));
    client.close();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain('sim: stopped');
    expect(run.stderr()).not.toContain('0303');
    await vpcd.stop();
  });

  it('--removed waits for an insert; quit on the control channel exits 0', async () => {
    const vpcd = await FakeVpcd.start();
    const control = join(mkdtempSync(join(tmpdir(), 'sim-cli-')), 'sim.sock');
    const run = sim([
      'card',
      '--person',
      peopleFile('pinless'),
      '--port',
      String(vpcd.port),
      '--control',
      control,
      '--removed',
    ]);
    await until(() => run.stderr().includes('control channel on'));
    expect(vpcd.connected).toBe(false);
    const client = await SimControlClient.connect(control);
    await client.insert();
    await vpcd.accepted();
    await client.quit();
    expect(await run.exited).toBe(0);
    await vpcd.stop();
  });

  it('a bad person file: one line naming the file and the problem, non-zero exit', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'sim-cli-')), 'bad.json');
    writeFileSync(bad, JSON.stringify({ id: 'Bad Id' }));
    const run = sim(['card', '--person', bad, '--port', '1']);
    expect(await run.exited).not.toBe(0);
    const lines = run.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^sim: person file ${bad}: id: must be`));
  });
});
