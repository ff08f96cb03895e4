/**
 * `sim card --person FILE`: one test person's virtual card served to pcscd through vpcd, until
 * `quit` on stdin, SIGINT or SIGTERM. The simulator's own program (bin/sim-card.js), so that the
 * PC/SC test stack starts it without any other package's command line; kiosk-dev mounts the same
 * command under `kiosk-dev sim card`.
 */
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import { SimControlServer } from '../control.ts';
import { PersonFileError } from '../person.ts';
import { SimHost } from '../sim-host.ts';
import { VPCD_DEFAULT_HOST, VPCD_DEFAULT_PORT } from '../vpcd-link.ts';

interface CardOptions {
  person: string;
  host: string;
  port: string;
  control?: string;
  removed?: boolean;
  responseStyle: 'direct' | 'get-response';
  extended: boolean;
}

/** A usage error exits with the kiosk's usage status, so both programs answer alike. */
const EXIT_USAGE = 2;

const say = (line: string) => process.stderr.write(`sim: ${line}\n`);

export function simCardCommand(): Command {
  return new Command('card')
    .description('serve a virtual card to pcscd through the vsmartcard vpcd driver')
    .requiredOption('--person <file>', 'person file (packages/card-sim/people/*.json)')
    .option('--host <host>', 'vpcd host', VPCD_DEFAULT_HOST)
    .option('--port <port>', 'vpcd port', String(VPCD_DEFAULT_PORT))
    .option('--control <socket>', 'serve the JSON-lines control channel on this unix socket')
    .option('--removed', 'start with the card off the reader')
    .addOption(
      new Option('--response-style <style>', 'how responses with data are returned')
        .choices(['direct', 'get-response'])
        .default('direct'),
    )
    .option('--no-extended', 'refuse extended-length APDUs (6700), like a reader without them')
    .action(runCard);
}

async function runCard(options: CardOptions): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    say(`--port must be a TCP port number, not ${options.port}`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  let host: SimHost;
  try {
    host = new SimHost(options.person, {
      host: options.host,
      port,
      card: { responseStyle: options.responseStyle, extendedLength: options.extended },
    });
  } catch (error) {
    if (!(error instanceof PersonFileError)) throw error;
    say(error.message);
    process.exitCode = EXIT_USAGE;
    return;
  }
  host.on('status', say);

  const control = options.control ? await SimControlServer.listen(options.control, host) : undefined;
  if (control) say(`control channel on ${control.path}`);

  const finished = new Promise<void>((resolve) => {
    host.once('quit', resolve);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });

  const stdin = process.stdin.readable ? createInterface({ input: process.stdin }) : undefined;
  stdin?.on('line', (line) => {
    const command = line.trim();
    if (command === 'insert') void host.insert();
    else if (command === 'remove') void host.remove();
    else if (command === 'quit') void host.quit();
    else if (command !== '') say(`unknown command "${command}" (insert, remove, quit)`);
  });

  if (options.removed) say(`card ${host.card.holderId} ready, off the reader`);
  else void host.insert();

  await finished;
  stdin?.close();
  await host.remove();
  await control?.close();
  say('stopped');
  process.exitCode = 0;
}
