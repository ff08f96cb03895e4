/** How a separate kiosk process finds pcscd: the stack's env reaches it, a missing daemon is one clear line. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { peopleFile } from '@myna/card-sim/people.js';
import { type PcscStack, pcscSkipReason, startPcscStack } from '@myna/card-sim/stack/pcsc-stack.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

function listReaders(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, ['bin/kiosk.js', 'card', 'readers'], {
    env: { ...process.env, ...env },
    timeout: 20_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({
      code: err.code,
      stdout: err.stdout,
      stderr: err.stderr,
    }),
  );
}

describe.skipIf(pcscSkipReason())('pcscd from another process', () => {
  let stack: PcscStack;

  beforeAll(async () => {
    stack = await startPcscStack({ person: peopleFile('elderly') });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reaches the isolated pcscd through the env the stack returns', async () => {
    expect(stack.env.PCSCLITE_CSOCK_NAME).toMatch(/pcscd\.comm$/);
    expect(await listReaders(stack.env)).toEqual({
      code: 0,
      stdout: `${stack.readerName}\tcard 3BE000FF8131FE4514\nVirtual PCD 00 01\tempty\n`,
      stderr: '',
    });
  });

  it('says pcscd is not running instead of hanging when the daemon is gone', async () => {
    const { env } = stack;
    await stack.stop();
    const { code, stdout, stderr } = await listReaders(env);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^kiosk: no smart-card reader found: is pcscd running\? \(.*pcscd\.comm: ENOENT\)\n$/,
    );
  });
});
