/**
 * Starts or stops the test PC/SC stack (test/support/pcsc-stack.ts) by hand, e.g. to try the CLI
 * against pcscd + vpcd + the virtual card:
 *
 *   npx tsx scripts/pcsc-stack.ts start [--person FILE] [--no-quickack] [-- SIM-ARGS…]
 *   eval "$(npx tsx scripts/pcsc-stack.ts env)"     # PCSCLITE_CSOCK_NAME for this shell
 *   npx tsx scripts/pcsc-stack.ts control            # the card's control socket: JSON lines such as
 *                                                    # {"cmd":"remove"} (e.g. with socat - UNIX-CONNECT:…)
 *   npx tsx scripts/pcsc-stack.ts stop
 *
 * The running stack is recorded in var/pcsc-stack.json; `stop` ends exactly what `start` began.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { peopleFile } from '@myna/card-sim/people.js';
import { type PcscStackState, startPcscStack, stopPcscStack } from '@myna/card-sim/stack/pcsc-stack.js';

const RECORD = 'var/pcsc-stack.json';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    person: { type: 'string', default: peopleFile('middle-aged') },
    'no-quickack': { type: 'boolean', default: false },
  },
});
const [action, ...simArgs] = positionals;

function recorded(): PcscStackState {
  if (!existsSync(RECORD)) throw new Error(`no stack recorded in ${RECORD}: run "start" first`);
  return JSON.parse(readFileSync(RECORD, 'utf8')) as PcscStackState;
}

switch (action) {
  case 'start': {
    if (existsSync(RECORD)) throw new Error(`a stack is already recorded in ${RECORD}: run "stop" first`);
    const stack = await startPcscStack({ person: values.person, quickack: !values['no-quickack'], simArgs });
    mkdirSync('var', { recursive: true });
    writeFileSync(RECORD, `${JSON.stringify(stack.detach(), null, 2)}\n`);
    console.log(`reader "${stack.readerName}" in ${stack.netns ?? 'the host network namespace'}`);
    console.log(`export PCSCLITE_CSOCK_NAME=${stack.env.PCSCLITE_CSOCK_NAME}`);
    break;
  }
  case 'env':
    console.log(`export PCSCLITE_CSOCK_NAME=${recorded().socket}`);
    break;
  case 'control':
    console.log(recorded().control);
    break;
  case 'stop':
    await stopPcscStack(recorded());
    rmSync(RECORD);
    break;
  default:
    console.error('usage: npx tsx scripts/pcsc-stack.ts start|env|control|stop (see the top of this file)');
    process.exitCode = 2;
}
